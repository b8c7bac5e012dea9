package dev.capsule.runtime.net;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request exactly as the mini-program asked for it ({@code wx.request}'s url, method, header,
 * data and timeout, after the bridge has encoded {@code data} into bytes or the query string).
 *
 * <p>This record only copies: missing parts get their defaults (method GET, no headers, no body,
 * the client's longest timeout) and arrays and maps are copied, but nothing is judged here.
 * {@link GuardedHttpClient#send} validates every part against its own {@link NetLimits} and answers
 * a bad one with a {@link FailureKind#BAD_REQUEST} (or host/scheme) failure, so guest input can
 * never surface as an exception, and one spec type serves clients with different limits.
 *
 * @param url     an absolute {@code https} URL; non-ASCII characters in path and query are
 *                percent-encoded as UTF-8 when sent, the host must already be ASCII (punycode)
 * @param method  GET, POST, PUT, DELETE, HEAD or OPTIONS, in any case
 * @param headers header names to values; order is kept
 * @param body    request body bytes; empty for none
 * @param timeout whole-request timeout; {@code null} for the client's longest, and a longer one is
 *                shortened to it (as WeChat does with {@code networkTimeout})
 */
public record HttpRequestSpec(String url, String method, Map<String, String> headers, byte[] body, Duration timeout) {
    public HttpRequestSpec {
        url = Objects.requireNonNullElse(url, "");
        method = Objects.requireNonNullElse(method, "GET");
        // LinkedHashMap keeps the mini-program's order and tolerates null names or values, which
        // send() then reports as a bad request instead of a NullPointerException here.
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body.clone();
    }

    /** A GET of {@code url} with no headers and the client's longest timeout. */
    public static HttpRequestSpec get(String url) {
        return new HttpRequestSpec(url, "GET", Map.of(), new byte[0], null);
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpRequestSpec that
                && url.equals(that.url)
                && method.equals(that.method)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body)
                && Objects.equals(timeout, that.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, method, headers, Arrays.hashCode(body), timeout);
    }

    @Override
    public String toString() {
        return "HttpRequestSpec[" + method + " " + url + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes, timeout=" + timeout + "]";
    }
}
