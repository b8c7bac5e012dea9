package dev.capsule.runtime.net;

/**
 * Why a request produced no response. The bridge turns each into a {@code fail} result; the kinds
 * are stable, the messages that come with them are for people.
 */
public enum FailureKind {
    /** The request is malformed: method, a header, body size, timeout or URL syntax. */
    BAD_REQUEST,
    /** The URL (or a redirect target) is not {@code https}. */
    SCHEME_NOT_ALLOWED,
    /**
     * The URL's host and port are not exactly an entry of {@code network.request}, or the URL hides
     * its host (user info, IP literal, trailing dot, non-ASCII name, ...).
     */
    HOST_NOT_ALLOWED,
    /** The host name did not resolve, or the lookup took too long. */
    DNS_FAILED,
    /** The host resolved to an address that is not a public Internet address (loopback, private, ...). */
    ADDRESS_BLOCKED,
    /** No connection could be made, or it broke while sending. */
    CONNECTION_FAILED,
    /** The TLS handshake failed: untrusted or wrong-host certificate, or no TLS 1.2+ in common. */
    TLS_FAILED,
    /** The request did not complete within its timeout. */
    TIMEOUT,
    /** The server redirected more times than allowed. */
    TOO_MANY_REDIRECTS,
    /** The response body is larger than allowed. */
    RESPONSE_TOO_LARGE,
    /** The server's response is not valid HTTP/1.1, or breaks a header limit, or is cut short. */
    BAD_RESPONSE,
    /** The client is closed, or too many requests are already waiting. */
    UNAVAILABLE
}
