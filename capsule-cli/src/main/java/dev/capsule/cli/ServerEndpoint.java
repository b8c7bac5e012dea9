package dev.capsule.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * A Capsule server's checked base URL and the HTTP client every command that talks to a server uses
 * ({@code audit}, {@code releases verify}, {@code submit}).
 *
 * <p>Security guarantees: only {@code https}, or plain {@code http} to a loopback address; no query, fragment
 * or user info; redirects are never followed (an API key is sent only to the server named); with a pin, only
 * the certificate with that SHA-256 fingerprint is accepted ({@link PinnedTrust}), else the JDK's CA trust.
 */
record ServerEndpoint(URI base, HttpClient client) {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** @param pin SHA-256 of the server certificate to accept instead of the JDK's CA trust, if given */
    static ServerEndpoint of(String url, Optional<byte[]> pin) throws CliFailure {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--url: not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw CliFailure.usage("--url: expected https://HOST[:PORT] (or http:// to a loopback address)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw CliFailure.usage("--url: give the server's base URL, without query, fragment or user info");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw CliFailure.usage("--url: plain http is allowed only to a loopback address; use https");
        }
        if (pin.isPresent() && !scheme.equals("https")) {
            throw CliFailure.usage("--tls-fingerprint needs an https URL");
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        pin.ifPresent(p -> builder.sslContext(PinnedTrust.context(p)));
        return new ServerEndpoint(uri, builder.build());
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** One line saying why a request failed (connection, timeout, TLS), without exception class names. */
    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "cannot connect" + (message == null ? "" : " (" + message + ")");
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof javax.net.ssl.SSLException || e.getCause() instanceof javax.net.ssl.SSLException) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateException c && c.getMessage() != null
                        && c.getMessage().contains("--tls-fingerprint")) {
                    return "TLS failed: " + c.getMessage();
                }
            }
            if (message != null && message.contains("PKIX")) {
                return "TLS failed: the server certificate is not issued by an authority this JDK trusts"
                        + " (pin it with --tls-fingerprint)";
            }
            return "TLS failed" + (message == null ? "" : ": " + message.replaceAll("[a-z]+(\\.[a-z]+)+\\.\\w*Exception:? ?", ""));
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
