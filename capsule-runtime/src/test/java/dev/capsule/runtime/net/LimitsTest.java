package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.HostName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Response size, time and header limits. */
class LimitsTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private static final int MIB = 1024 * 1024;
    /** Scheduling slack on a loaded build machine; the point is "about the timeout", not "eventually". */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    /** Streams {@code bytes} (or forever, if negative) in chunked coding, counting what it wrote. */
    private AtomicLong stream(String path, long bytes, long declaredLength) {
        AtomicLong written = new AtomicLong();
        network.handle(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                while (bytes < 0 || written.get() < bytes) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            }
        });
        return written;
    }

    @Test
    void rejectsAStreamedResponseOverTheCap() {
        stream("/big", 11L * MIB, 0);

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/big")), API));

        assertThat(assertFailure(outcome, FailureKind.RESPONSE_TOO_LARGE).message()).contains(String.valueOf(NetLimits.RESPONSE_BODY_BYTES_MAX));
    }

    @Test
    void stopsReadingAnEndlessResponseAtTheCap() {
        // If the client buffered the whole body this would never finish; it must stop at cap + 1.
        AtomicLong written = stream("/endless", -1, 0);

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/endless")), API));

        assertFailure(outcome, FailureKind.RESPONSE_TOO_LARGE);
        assertThat(written.get()).isLessThan(100L * MIB);
    }

    @Test
    void rejectsADeclaredContentLengthOverTheCapWithoutReadingIt() {
        AtomicLong written = stream("/declared", 11L * MIB, 11L * MIB);

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/declared")), API));

        assertFailure(outcome, FailureKind.RESPONSE_TOO_LARGE);
        assertThat(written.get()).isLessThan(11L * MIB);
    }

    @Test
    void acceptsABodyExactlyAtALoweredCap() {
        stream("/exact", 64 * 1024, 0);

        HttpOutcome outcome = await(network.client(NetLimits.DEFAULTS.withResponseBodyBytesMax(64 * 1024))
                .send(HttpRequestSpec.get(network.url("/exact")), API));

        assertThat(assertResponse(outcome, 200).body()).hasSize(64 * 1024);
    }

    @Test
    void rejectsOneByteOverALoweredCap() {
        stream("/over", 64 * 1024, 0);

        HttpOutcome outcome = await(network.client(NetLimits.DEFAULTS.withResponseBodyBytesMax(64 * 1024 - 1))
                .send(HttpRequestSpec.get(network.url("/over")), API));

        assertFailure(outcome, FailureKind.RESPONSE_TOO_LARGE);
    }

    @Test
    void readsAtMostOneByteMoreThanTheCap() {
        CountingStream endless = new CountingStream();

        assertThatThrownBy(() -> BoundedBody.read(endless, -1, 1000, API_HOST))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE));
        assertThat(endless.read).isEqualTo(1001);
    }

    @Test
    void failsADeclaredLengthOverTheCapBeforeReadingAnything() {
        CountingStream endless = new CountingStream();

        assertThatThrownBy(() -> BoundedBody.read(endless, 1001, 1000, API_HOST))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE));
        assertThat(endless.read).isZero();
    }

    @Test
    void readsABodyOfTheDeclaredLengthAndRejectsOneThatDisagrees() throws Exception {
        byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(BoundedBody.read(new ByteArrayInputStream(ten), 10, 10, API_HOST)).isEqualTo(ten);
        assertThatThrownBy(() -> BoundedBody.read(new ByteArrayInputStream(ten), 9, 10, API_HOST))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_RESPONSE));
        assertThatThrownBy(() -> BoundedBody.read(new ByteArrayInputStream(ten), 11, 20, API_HOST))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_RESPONSE));
    }

    @Test
    void timesOutASlowServerWithinTheTimeout() {
        network.handle("/slow", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Duration timeout = Duration.ofMillis(500);
        long start = System.nanoTime();

        HttpOutcome outcome = await(network.client().send(new HttpRequestSpec(network.url("/slow"), "GET", null, null, timeout), API));

        assertFailure(outcome, FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(SLACK));
    }

    @Test
    void timesOutABodyThatTricklesIn() {
        // Each byte arrives well within any read timeout, so only the whole-request deadline stops it.
        network.handle("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Duration timeout = Duration.ofMillis(700);
        long start = System.nanoTime();

        HttpOutcome outcome = await(network.client().send(new HttpRequestSpec(network.url("/trickle"), "GET", null, null, timeout), API));

        assertFailure(outcome, FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(SLACK));
    }

    @Test
    void appliesTheClientTimeoutWhenTheRequestNamesNone() {
        network.handle("/slow", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();

        HttpOutcome outcome = await(network.client(NetLimits.DEFAULTS.withTimeoutMillisMax(400))
                .send(HttpRequestSpec.get(network.url("/slow")), API));

        assertFailure(outcome, FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400).plus(SLACK));
    }

    @Test
    void rejectsAResponseWithTooManyHeaders() {
        network.handle("/headers", exchange -> {
            for (int i = 0; i <= NetLimits.RESPONSE_HEADERS_MAX; i++) {
                exchange.getResponseHeaders().add("X-H" + i, "v");
            }
            exchange.sendResponseHeaders(200, -1);
        });

        assertFailure(await(network.client().send(HttpRequestSpec.get(network.url("/headers")), API)), FailureKind.BAD_RESPONSE);
    }

    @Test
    void rejectsAnOverlongResponseHeader() {
        network.handle("/long", exchange -> {
            exchange.getResponseHeaders().add("X-Long", "v".repeat(NetLimits.RESPONSE_HEADER_LINE_CHARS_MAX));
            exchange.sendResponseHeaders(200, -1);
        });

        assertFailure(await(network.client().send(HttpRequestSpec.get(network.url("/long")), API)), FailureKind.BAD_RESPONSE);
    }

    @Test
    void limitsCannotBeRaised() {
        assertThatThrownBy(() -> NetLimits.DEFAULTS.withResponseBodyBytesMax(NetLimits.RESPONSE_BODY_BYTES_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetLimits(1, 1, NetLimits.TIMEOUT_MILLIS_MAX + 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetLimits(1, 1, 1, NetLimits.REDIRECTS_MAX + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new NetLimits(1, 1, 1, 0, 1)).isNotNull();
        assertThat(NetLimits.DEFAULTS.timeoutMillisMax()).isEqualTo(60_000);
    }

    /** An endless stream of zeros that counts the bytes taken from it. */
    private static final class CountingStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            read += len;
            return len;
        }
    }
}
