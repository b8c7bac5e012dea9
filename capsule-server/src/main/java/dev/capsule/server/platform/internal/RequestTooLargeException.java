package dev.capsule.server.platform.internal;

import java.io.IOException;

/** A request body went past its limit ({@link RequestSizeLimitFilter}) while it was being read. */
final class RequestTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    RequestTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
