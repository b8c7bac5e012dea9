package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * Why a {@code /merchant/v1/**} request's signature was refused: one type per check, listed in docs/payments.md
 * ("Problem types"). All are 403, so the access module records each as {@code access.deny} with the type's slug
 * as the reason (the one denial path).
 */
public final class SignatureProblems {
    public static final ProblemType MISSING = type("signature-missing",
            "The request carries no Signature and Signature-Input");
    public static final ProblemType MALFORMED = type("signature-malformed",
            "The Signature or Signature-Input field is not valid");
    public static final ProblemType COMPONENTS_MISSING = type("signature-components-missing",
            "The signature does not cover the required components");
    public static final ProblemType PARAMETERS_MISSING = type("signature-parameters-missing",
            "The signature lacks a required parameter");
    public static final ProblemType WINDOW_INVALID = type("signature-window-invalid",
            "The signature's validity window is empty or too long");
    public static final ProblemType EXPIRED = type("signature-expired", "The signature has expired");
    public static final ProblemType NOT_YET_VALID = type("signature-not-yet-valid", "The signature was created in the future");
    public static final ProblemType UNKNOWN_KEY = type("signature-unknown-key", "The signing key is unknown or not active");
    public static final ProblemType ALGORITHM_MISMATCH = type("signature-algorithm-mismatch",
            "The signature names an algorithm its key does not have");
    public static final ProblemType INVALID = type("signature-invalid", "The signature does not verify");
    public static final ProblemType DIGEST_MISMATCH = type("content-digest-mismatch",
            "The Content-Digest does not match the content");
    public static final ProblemType NONCE_REUSED = type("signature-nonce-reused", "The signature's nonce was already used");

    private SignatureProblems() {
    }

    private static ProblemType type(String slug, String title) {
        return new ProblemType(slug, HttpStatus.FORBIDDEN, title);
    }
}
