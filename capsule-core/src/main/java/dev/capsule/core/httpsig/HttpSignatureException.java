package dev.capsule.core.httpsig;

import java.util.Objects;

/** A signature that cannot even be checked: why, as a {@link Reason} callers map to their own errors. */
public final class HttpSignatureException extends Exception {
    /** Why a signature could not be checked. */
    public enum Reason {
        /** The Signature or Signature-Input field is not valid (RFC 8941 or RFC 9421 syntax, bounds). */
        MALFORMED,
        /** A covered component is one this implementation does not support (parameters, response-only names). */
        UNSUPPORTED_COMPONENT,
        /** A covered component has no value in the message (a header field that is absent). */
        COMPONENT_ABSENT
    }

    private final Reason reason;

    public HttpSignatureException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
