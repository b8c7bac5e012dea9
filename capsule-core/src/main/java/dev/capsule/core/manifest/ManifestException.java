package dev.capsule.core.manifest;

import dev.capsule.core.text.SafeText;

/** capsule.json or app.json breaks a rule; the message names the file, the field and the rule. */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(SafeText.escape(message));
    }
}
