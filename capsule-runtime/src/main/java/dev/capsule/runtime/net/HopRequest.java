package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One request on the way: the first one, checked from what the mini-program asked, or one made by
 * following a redirect. Holding one means its URL passed the allowlist and its method, headers and
 * body passed their checks.
 *
 * @param body empty for none; never exposed outside this package, so not copied
 */
record HopRequest(TargetUrl target, String method, List<HeaderField> headers, byte[] body) {
    /** WeChat's methods, without TRACE (reflects credentials) and CONNECT (opens a tunnel). */
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");
    /** Statuses Capsule follows when they carry a Location; other 3xx are returned as they are. */
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Headers that describe the body, removed with it when a redirect turns a request into a GET. */
    private static final Set<String> BODY_HEADERS = Set.of("content-type", "content-encoding", "content-language", "content-location");
    /** Headers that carry the mini-program's credentials, removed when a redirect leaves the origin. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie");

    /** The first request, from the mini-program's spec. */
    static HopRequest first(HttpRequestSpec spec, List<HostName> allowlist, String allowlistName, NetLimits limits) throws RequestRefused {
        String method = spec.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "method must be one of GET, POST, PUT, DELETE, HEAD, OPTIONS");
        }
        byte[] body = spec.body();
        if (body.length > limits.requestBodyBytesMax()) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "request body is larger than " + limits.requestBodyBytesMax() + " bytes");
        }
        if (body.length > 0 && (method.equals("GET") || method.equals("HEAD"))) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, method + " requests cannot have a body: put the data in the query string");
        }
        List<HeaderField> headers = GuestHeaders.check(spec.headers(), limits.requestHeadersMax());
        return new HopRequest(TargetUrl.check(spec.url(), allowlist, "https", allowlistName), method, headers, body);
    }

    static boolean isFollowedRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    /**
     * The request to make after a redirect with {@code status} to {@code next}, as browsers make it
     * (Fetch standard, HTTP-redirect fetch): 303, and 301 or 302 after a POST, become a GET without
     * body or body headers; 307 and 308 repeat method and body. Authorization and Cookie are
     * removed when the origin changes, and stay removed even if a later redirect comes back.
     */
    HopRequest redirectedTo(TargetUrl next, int status) {
        boolean toGet = (status == 303 && !method.equals("GET") && !method.equals("HEAD"))
                || ((status == 301 || status == 302) && method.equals("POST"));
        boolean crossOrigin = !target.sameOrigin(next);
        List<HeaderField> kept = headers.stream()
                .filter(h -> !(toGet && BODY_HEADERS.stream().anyMatch(h::isNamed)))
                .filter(h -> !(crossOrigin && CREDENTIAL_HEADERS.stream().anyMatch(h::isNamed)))
                .toList();
        return new HopRequest(next, toGet ? "GET" : method, kept, toGet ? new byte[0] : body);
    }
}
