package dev.capsule.core.httpsig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request as RFC 9421 sees it: its method, its target URI and its header fields (names case-insensitive,
 * each name with its field lines in order).
 *
 * <p>The target URI is normalized the same way on both sides: lower-case scheme and host, no default port
 * (443 for https, 80 for http), an empty path as {@code /}; path and query stay exactly as sent (never decoded).
 */
public record SignedRequest(String method, URI targetUri, Map<String, List<String>> fields) {
    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUri, "targetUri");
        if (method.isEmpty() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("an HTTP method is a token");
        }
        if (!targetUri.isAbsolute() || targetUri.getRawAuthority() == null || targetUri.getHost() == null) {
            throw new IllegalArgumentException("the target URI must be absolute, with a host");
        }
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        fields = java.util.Collections.unmodifiableMap(copy);
    }

    /** {@code @scheme}: the lower-case scheme. */
    public String scheme() {
        return targetUri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** {@code @authority}: lower-case host and the port unless it is the scheme's default. */
    public String authority() {
        String host = targetUri.getHost().toLowerCase(Locale.ROOT);
        int port = targetUri.getPort();
        boolean defaultPort = port == -1 || port == 443 && scheme().equals("https") || port == 80 && scheme().equals("http");
        return defaultPort ? host : host + ":" + port;
    }

    /** {@code @path}: the raw (still percent-encoded) path; {@code /} when empty. */
    public String path() {
        String path = targetUri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** {@code @query}: {@code ?} and the raw query; {@code ?} alone without one (RFC 9421 §2.2.7). */
    public String query() {
        String query = targetUri.getRawQuery();
        return "?" + (query == null ? "" : query);
    }

    /** {@code @target-uri}: the normalized absolute URI. */
    public String normalizedTargetUri() {
        String query = targetUri.getRawQuery();
        return scheme() + "://" + authority() + path() + (query == null ? "" : "?" + query);
    }

    /**
     * A header field's value as RFC 9421 §2.1 covers it: each field line trimmed, the lines joined with ", ";
     * null when the request has no such field.
     */
    public String field(String name) {
        List<String> lines = fields.get(name);
        if (lines == null || lines.isEmpty()) {
            return null;
        }
        return String.join(", ", lines.stream().map(String::strip).toList());
    }
}
