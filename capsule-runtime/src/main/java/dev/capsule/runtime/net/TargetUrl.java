package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * A URL that may be requested: https, and a host and port that are exactly an allowlist entry.
 * Only {@link #check} makes one, so holding a {@code TargetUrl} means the check passed.
 *
 * <p>The host is lower-cased (DNS and certificates ignore case, browsers do the same) and then held
 * to {@link HostName}'s rules, the same ones the allowlist entries passed: that rejects IP literals
 * in every notation resolvers accept ({@code 127.1}, {@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}), a trailing dot, {@code localhost} and special-use names. Then the (host,
 * port) pair must equal an entry: {@code api.example.com} allows port 443 only,
 * {@code api.example.com:8443} allows port 8443 only.
 *
 * @param host         lower-case ASCII host name, never an IP literal
 * @param port         the port the URL names (443 when it names none)
 * @param pathAndQuery raw path (at least "/") and query, ASCII, percent-encoded; no fragment
 */
record TargetUrl(String host, int port, String pathAndQuery) {
    private static final String SCHEME = "https";

    /**
     * The URL's target if it is allowed.
     *
     * @throws RequestRefused BAD_REQUEST for an unparseable URL, SCHEME_NOT_ALLOWED, or HOST_NOT_ALLOWED
     */
    static TargetUrl check(String url, List<HostName> allowlist) throws RequestRefused {
        return check(url, allowlist, SCHEME, "network.request");
    }

    /**
     * As {@link #check(String, List)} for another secure scheme and allowlist ({@code wss} and
     * {@code network.connectSocket}; {@code https} and {@code network.downloadFile}): the same rules,
     * only the scheme and the list named in the refusal differ.
     */
    static TargetUrl check(String url, List<HostName> allowlist, String scheme, String allowlistName) throws RequestRefused {
        if (url.isEmpty()) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "url is empty");
        }
        if (url.length() > NetLimits.URL_CHARS_MAX) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "url is longer than " + NetLimits.URL_CHARS_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RequestRefused(FailureKind.BAD_REQUEST,
                    "url is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "; percent-encode spaces and special characters)");
        }
        if (uri.getScheme() == null) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "url must be absolute: " + scheme + "://host/path");
        }
        if (!uri.getScheme().equalsIgnoreCase(scheme)) {
            throw new RequestRefused(FailureKind.SCHEME_NOT_ALLOWED, "only " + scheme + " URLs are allowed, not " + uri.getScheme() + ":");
        }
        if (uri.isOpaque()) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "url must be absolute: " + scheme + "://host/path");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "url has no host");
        }
        // 'https://api.example.com@evil.com/' has host evil.com: a reader who stops at the '@' sees
        // the allowlisted name. User info has no legitimate use here, so any '@' is refused.
        if (authority.indexOf('@') >= 0) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "URLs with user info (user@host) are not allowed");
        }
        if (authority.startsWith("[")) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "IP literals are not allowed: use a host name");
        }
        if (!authority.chars().allMatch(c -> c < 0x80)) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED,
                    "host name must be ASCII: write internationalized names in their xn-- (punycode) form");
        }
        String rawHost = uri.getHost();
        if (rawHost == null) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "'" + authority + "' is not a valid host name");
        }
        int urlPort = uri.getPort();
        // The authority must be exactly host or host:port as parsed, so no text the parser skipped
        // ('host:' or 'host:0443') can mean something else to the library or the server.
        if (!authority.equals(urlPort == -1 ? rawHost : rawHost + ":" + urlPort)) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "'" + authority + "' is not host or host:port");
        }
        String host = rawHost.toLowerCase(Locale.ROOT);
        int port = urlPort == -1 ? HostName.DEFAULT_PORT : urlPort;
        HostName target;
        try {
            target = new HostName(host, port);
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "host '" + host + "' is not allowed: " + e.getMessage());
        }
        if (!allowlist.contains(target)) {
            throw new RequestRefused(FailureKind.HOST_NOT_ALLOWED, "'" + target + "' is not in " + allowlistName);
        }
        // toASCIIString percent-encodes non-ASCII characters of path and query as UTF-8, as browsers do.
        URI ascii = URI.create(uri.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String pathAndQuery = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        if (pathAndQuery.length() + authority.length() + scheme.length() + 3 > NetLimits.URL_CHARS_MAX) {
            throw new RequestRefused(FailureKind.BAD_REQUEST,
                    "url is longer than " + NetLimits.URL_CHARS_MAX + " characters once percent-encoded");
        }
        return new TargetUrl(host, port, pathAndQuery);
    }

    /**
     * Where a redirect's {@code Location} points, checked exactly as a URL from the mini-program.
     *
     * @throws RequestRefused BAD_RESPONSE for an unparseable location, else as {@link #check}
     */
    TargetUrl redirectTo(String location, List<HostName> allowlist, String allowlistName) throws RequestRefused {
        URI next;
        try {
            next = uri().resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RequestRefused(FailureKind.BAD_RESPONSE, host + " redirected to an invalid URL");
        }
        return check(next.toString(), allowlist, SCHEME, allowlistName);
    }

    /** Same origin: same host and port (the scheme is always https). */
    boolean sameOrigin(TargetUrl other) {
        return host.equals(other.host) && port == other.port;
    }

    /** {@code host} or {@code host:port}, as in the Host header. */
    String authority() {
        return port == HostName.DEFAULT_PORT ? host : host + ":" + port;
    }

    URI uri() {
        return URI.create(SCHEME + "://" + authority() + pathAndQuery);
    }

    @Override
    public String toString() {
        return SCHEME + "://" + authority() + pathAndQuery;
    }
}
