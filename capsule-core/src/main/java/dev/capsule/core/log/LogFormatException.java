package dev.capsule.core.log;

/** Malformed log data: a note, checkpoint, verifier key or export line that does not follow its format. */
public final class LogFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public LogFormatException(String message) {
        super(message);
    }
}
