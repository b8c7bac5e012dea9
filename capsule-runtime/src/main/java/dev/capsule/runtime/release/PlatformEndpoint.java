package dev.capsule.runtime.release;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The platform's public release endpoints over HTTPS (java.net.http): the bundle of one mini-program and the
 * revocation list. This is the host's own trusted configuration, not guest traffic, so it does not go through the
 * guarded client; what it returns is trusted only after core's verifiers accept it.
 *
 * <p>Security guarantees: HTTPS only (the JDK's CA trust, or the host's {@link SSLContext}, for example one pinned
 * to the development certificate); redirects are not followed; every request is bounded in time as a whole
 * (connect, headers and body: a server that drips its answer is cut off at the deadline) and every answer in
 * size, before any parsing.
 */
final class PlatformEndpoint implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String API = "/api/v1/releases";

    private final URI base;
    private final HttpClient client;

    PlatformEndpoint(URI platform, Optional<SSLContext> tls) {
        String scheme = platform.getScheme() == null ? "" : platform.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") || platform.getHost() == null) {
            throw new IllegalArgumentException("the platform URL must be https://HOST[:PORT]");
        }
        if (platform.getRawQuery() != null || platform.getRawFragment() != null || platform.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the platform URL is a base URL, without query, fragment or user info");
        }
        String text = platform.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        tls.ifPresent(builder::sslContext);
        this.client = builder.build();
    }

    /** The bundle of {@code appId} for {@code user}, with a consistency proof from {@code since} (0: none). */
    byte[] bundle(String appId, String user, long since, int bytesMax, Duration timeout) throws IOException {
        return get(API + "/" + URLEncoder.encode(appId, StandardCharsets.UTF_8) + "/bundle?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + (since > 0 ? "&since=" + since : ""), bytesMax, timeout);
    }

    /** The signed revocation list (a DSSE envelope). */
    byte[] revocations(int bytesMax, Duration timeout) throws IOException {
        return get(API + "/revocations", bytesMax, timeout);
    }

    /** The platform's base URL, for messages. */
    URI base() {
        return base;
    }

    private byte[] get(String path, int bytesMax, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(base + path.replaceAll("\\?.*", "") + " answered HTTP " + response.statusCode());
            }
            long left = deadline - System.nanoTime();
            // The request timeout covers the headers only; the body gets the rest of the deadline, then the stream is closed.
            Thread cutter = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(Math.max(0, left)));
                    body.close();
                } catch (InterruptedException | IOException e) {
                    // read in time, or already closed
                }
            });
            try {
                byte[] bytes = body.readNBytes(bytesMax + 1);
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the platform did not answer within " + timeout.toSeconds() + " s");
                }
                if (bytes.length > bytesMax) {
                    throw new IOException("the platform's answer is larger than " + bytesMax + " bytes");
                }
                return bytes;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the platform did not answer within " + timeout.toSeconds() + " s");
                }
                throw e;
            } finally {
                cutter.interrupt();
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
