package dev.capsule.core.osv;

/** An advisory source could not answer (store unavailable, more advisories than a bounded answer holds). */
public final class AdvisoryLookupException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdvisoryLookupException(String message) {
        super(message);
    }

    public AdvisoryLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
