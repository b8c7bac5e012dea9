package dev.capsule.runtime.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks and filters the headers a mini-program sets.
 *
 * <p>Malformed headers are refused ({@link FailureKind#BAD_REQUEST}): a name that is not an HTTP
 * token, a value with CR, LF, NUL or any other control or non-ASCII character (header injection
 * and request smuggling start there), the same name twice in different case, and too many or too
 * long headers. Refusing, rather than cleaning, tells the developer at once.
 *
 * <p>Well-formed headers that only Capsule may set are dropped silently, as browsers drop
 * fetch()'s forbidden headers and WeChat drops {@code Referer}: existing mini-programs that set one
 * out of habit keep working. Dropped: message framing and connection management (Host, Connection,
 * Content-Length, Transfer-Encoding, TE, Trailer, Upgrade, Keep-Alive, Expect, HTTP2-Settings and
 * every {@code Proxy-*}), transport encoding (Accept-Encoding; the client decodes gzip/deflate itself
 * and counts the cap on decoded bytes), identity Capsule vouches for (User-Agent, Referer, Origin,
 * {@code Sec-*}, {@code X-Capsule-*}), claims to be a proxy (Via, Forwarded, {@code X-Forwarded-*},
 * X-Real-IP) and method overrides that could smuggle TRACE or CONNECT ({@code X-HTTP-Method},
 * {@code X-HTTP-Method-Override}, {@code X-Method-Override}), and CORS preflight headers.
 *
 * <p>Allowed, because a mini-program has no other way to authenticate to its own backend:
 * Authorization and Cookie. Capsule keeps no cookie jar and no credentials of its own, so these
 * carry only what the mini-program already holds; both are removed when a redirect leaves the
 * origin ({@link HopRequest#redirectedTo}).
 */
final class GuestHeaders {
    private static final Set<String> DROPPED = Set.of(
            "host", "connection", "content-length", "transfer-encoding", "te", "trailer", "upgrade", "keep-alive",
            "expect", "http2-settings", "accept-encoding", "user-agent", "referer", "origin", "via", "forwarded",
            "x-real-ip", "x-http-method", "x-http-method-override", "x-method-override",
            "access-control-request-headers", "access-control-request-method");
    private static final List<String> DROPPED_PREFIXES = List.of("proxy-", "sec-", "x-capsule-", "x-forwarded-");
    /** RFC 9110 tchar, besides letters and digits. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private GuestHeaders() {}

    /** The headers to send, in the mini-program's order. */
    static List<HeaderField> check(Map<String, String> headers, int headersMax) throws RequestRefused {
        if (headers.size() > headersMax) {
            throw refused("more than " + headersMax + " headers");
        }
        List<HeaderField> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int chars = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            checkName(name);
            checkValue(name, value);
            chars += name.length() + value.length();
            if (chars > NetLimits.REQUEST_HEADERS_CHARS_MAX) {
                throw refused("headers are longer than " + NetLimits.REQUEST_HEADERS_CHARS_MAX + " characters in all");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw refused("header '" + name + "' is set twice");
            }
            if (!isDropped(lower)) {
                kept.add(new HeaderField(name, value));
            }
        }
        return List.copyOf(kept);
    }

    static boolean isDropped(String lowerCaseName) {
        return DROPPED.contains(lowerCaseName) || DROPPED_PREFIXES.stream().anyMatch(lowerCaseName::startsWith);
    }

    private static void checkName(String name) throws RequestRefused {
        if (name == null || name.isEmpty()) {
            throw refused("a header name is empty");
        }
        if (name.length() > NetLimits.REQUEST_HEADER_NAME_CHARS_MAX) {
            throw refused("a header name is longer than " + NetLimits.REQUEST_HEADER_NAME_CHARS_MAX + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                throw refused("header name '" + name + "' has a character not allowed in HTTP header names");
            }
        }
    }

    private static void checkValue(String name, String value) throws RequestRefused {
        if (value == null) {
            throw refused("header '" + name + "' has no value");
        }
        if (value.length() > NetLimits.REQUEST_HEADER_VALUE_CHARS_MAX) {
            throw refused("header '" + name + "' is longer than " + NetLimits.REQUEST_HEADER_VALUE_CHARS_MAX + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // Visible ASCII and space only: CR, LF and NUL would split or end the header line,
            // non-ASCII has no agreed byte encoding in HTTP/1.1, and the library would turn a tab
            // into a space, sending something other than what was asked.
            if (c < 0x20 || c >= 0x7f) {
                throw refused("header '" + name + "' has a control or non-ASCII character (percent-encode such values)");
            }
        }
    }

    private static RequestRefused refused(String message) {
        return new RequestRefused(FailureKind.BAD_REQUEST, message);
    }
}
