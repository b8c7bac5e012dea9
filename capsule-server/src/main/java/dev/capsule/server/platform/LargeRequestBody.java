package dev.capsule.server.platform;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exception to the server's request body limit (1 MiB) for one exact method and path, declared by
 * the module that owns the endpoint as a bean (the registry's package upload takes a whole package).
 * The platform's size filter applies it like the default: a declared Content-Length over it is answered
 * 413 before anything is read, a chunked body is counted as it is read.
 *
 * <p>Security guarantees: only an exact path (no patterns) is raised, and never above
 * {@link #REQUEST_BYTES_MAX}; every other request keeps the default limit.
 *
 * @param method   the HTTP method, upper case ("POST")
 * @param path     the exact request path ("/api/v1/packages")
 * @param bytesMax the largest body accepted there
 */
public record LargeRequestBody(String method, String path, long bytesMax) {
    /** The most any path may accept: 64 MiB. */
    public static final long REQUEST_BYTES_MAX = 64L * 1024 * 1024;
    private static final Pattern PATH = Pattern.compile("(/[a-z0-9][a-z0-9-]*)+");

    public LargeRequestBody {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("an HTTP method in upper case, not " + method);
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("an exact path of lower-case segments, not " + path);
        }
        if (bytesMax < 1 || bytesMax > REQUEST_BYTES_MAX) {
            throw new IllegalArgumentException("a body limit from 1 to " + REQUEST_BYTES_MAX + " bytes, not " + bytesMax);
        }
    }
}
