package dev.capsule.server.compliance.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.compliance.ProcessingRecord;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who the controller of this installation's processing is ({@code capsule.privacy.*}, docs/compliance.md): the name
 * and contact the records of processing state (GDPR art. 30(1)(a)). Neither has a default: an installation that has
 * not named its controller gets no record ({@code processing-controller-unset}), never an invented one.
 *
 * @param controllerName    the controller's legal name (one line, at most {@link #TEXT_CHARS_MAX} characters)
 * @param controllerContact how to reach the controller or its data protection officer (an address, an e-mail; one line)
 */
@ConfigurationProperties("capsule.privacy")
public record ControllerSettings(String controllerName, String controllerContact) {
    /** Characters of each setting. */
    static final int TEXT_CHARS_MAX = 300;

    public ControllerSettings {
        controllerName = checked("controller-name", controllerName);
        controllerContact = checked("controller-contact", controllerContact);
    }

    /** Both settings, or empty when either is missing. */
    Optional<ProcessingRecord.DataController> controller() {
        return controllerName.isEmpty() || controllerContact.isEmpty() ? Optional.empty()
                : Optional.of(new ProcessingRecord.DataController(controllerName, controllerContact));
    }

    /** Blank is unset; anything else must be one printable line (a bad value stops the server's start, naming the setting). */
    private static String checked(String name, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String text = value.strip();
        if (text.length() > TEXT_CHARS_MAX || text.codePoints().anyMatch(SafeText::isUnsafe)) {
            throw new IllegalArgumentException("capsule.privacy." + name + " is one line of at most " + TEXT_CHARS_MAX
                    + " printable characters");
        }
        return text;
    }
}
