package dev.capsule.runtime.net;

/**
 * Per-request limits of a {@link GuardedHttpClient}. {@link #DEFAULTS} are the contract's values
 * (docs: miniprogram.md §3, §4); a host may lower any of them, never raise one, so every component
 * must be between 1 (0 for redirects) and its default.
 *
 * <p>Limits that are not a host's choice (how long a connect or handshake may take, how large a URL
 * or header may be) are the constants below and apply to every client.
 *
 * @param requestBodyBytesMax  largest request body the mini-program may send
 * @param responseBodyBytesMax largest response body, after content decoding; the client reads at
 *                             most one byte more and then fails, so it never holds more
 * @param timeoutMillisMax     longest a whole request may take, redirects included; also the
 *                             timeout when the request names none
 * @param redirectsMax         redirects followed before the request fails
 * @param requestHeadersMax    headers the mini-program may set on one request
 */
public record NetLimits(
        int requestBodyBytesMax,
        int responseBodyBytesMax,
        int timeoutMillisMax,
        int redirectsMax,
        int requestHeadersMax) {

    /** Request bodies: 1 MiB, the same as a {@code setData} change; API calls need far less. */
    public static final int REQUEST_BODY_BYTES_MAX = 1024 * 1024;
    /** Response bodies: 10 MiB (contract §3, as WeChat). */
    public static final int RESPONSE_BODY_BYTES_MAX = 10 * 1024 * 1024;
    /** Whole request, redirects included: 60 s (contract §3, WeChat's default). */
    public static final int TIMEOUT_MILLIS_MAX = 60_000;
    /** Redirects followed: 5. Browsers allow 20, but an API that needs more than a couple is broken. */
    public static final int REDIRECTS_MAX = 5;
    /** Headers the mini-program may set on one request. */
    public static final int REQUEST_HEADERS_MAX = 32;

    /** Characters in a header name the mini-program sets. */
    public static final int REQUEST_HEADER_NAME_CHARS_MAX = 256;
    /** Characters in a header value the mini-program sets (a large bearer token is ~4 KB). */
    public static final int REQUEST_HEADER_VALUE_CHARS_MAX = 8 * 1024;
    /** Characters in all header names and values the mini-program sets on one request. */
    public static final int REQUEST_HEADERS_CHARS_MAX = 32 * 1024;
    /** Characters in a URL, after non-ASCII characters in path and query are percent-encoded. */
    public static final int URL_CHARS_MAX = 16 * 1024;
    /** Response headers (and trailers) accepted; more is a malformed response. */
    public static final int RESPONSE_HEADERS_MAX = 100;
    /** Characters in one response status or header line (also bounds chunk-size lines). */
    public static final int RESPONSE_HEADER_LINE_CHARS_MAX = 8 * 1024;
    /** One DNS lookup, within the request's own timeout. */
    public static final int DNS_TIMEOUT_MILLIS = 10_000;
    /** One TCP connect, within the request's own timeout. */
    public static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** One TLS handshake, within the request's own timeout. */
    public static final int TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** The contract's limits. */
    public static final NetLimits DEFAULTS = new NetLimits(
            REQUEST_BODY_BYTES_MAX, RESPONSE_BODY_BYTES_MAX, TIMEOUT_MILLIS_MAX, REDIRECTS_MAX, REQUEST_HEADERS_MAX);

    public NetLimits {
        requireWithin("requestBodyBytesMax", requestBodyBytesMax, 1, REQUEST_BODY_BYTES_MAX);
        requireWithin("responseBodyBytesMax", responseBodyBytesMax, 1, RESPONSE_BODY_BYTES_MAX);
        requireWithin("timeoutMillisMax", timeoutMillisMax, 1, TIMEOUT_MILLIS_MAX);
        requireWithin("redirectsMax", redirectsMax, 0, REDIRECTS_MAX);
        requireWithin("requestHeadersMax", requestHeadersMax, 1, REQUEST_HEADERS_MAX);
    }

    /** These limits with a lower response body cap. */
    public NetLimits withResponseBodyBytesMax(int bytes) {
        return new NetLimits(requestBodyBytesMax, bytes, timeoutMillisMax, redirectsMax, requestHeadersMax);
    }

    /** These limits with a shorter longest request. */
    public NetLimits withTimeoutMillisMax(int millis) {
        return new NetLimits(requestBodyBytesMax, responseBodyBytesMax, millis, redirectsMax, requestHeadersMax);
    }

    private static void requireWithin(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + "-" + max + " (a host may lower a limit, not raise it), not " + value);
        }
    }
}
