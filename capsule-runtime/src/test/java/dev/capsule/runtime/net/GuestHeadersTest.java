package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed headers are refused; headers only Capsule may set are dropped; the rest are sent. */
class GuestHeadersTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    private HttpOutcome sendWith(Map<String, String> headers) {
        return await(network.client().send(new HttpRequestSpec(network.url("/h"), "POST", headers, "{}".getBytes(StandardCharsets.UTF_8), null), API));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nX-Injected: 1", "a\rb", "a\u0000b", "a\u007fb", "a\tb", "中文", "a\u2028b"})
    void refusesControlAndNonAsciiCharactersInValues(String value) {
        assertFailure(sendWith(Map.of("X-Note", value)), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Note", "X-Note:", "X-Note\r\nX-Injected", "", "(comment)", "X-Nöte", "X/Note"})
    void refusesNamesThatAreNotTokens(String name) {
        assertFailure(sendWith(Map.of(name, "v")), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesNullNamesAndValues() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("X-Note", null);
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "v");

        assertFailure(sendWith(nullValue), FailureKind.BAD_REQUEST);
        assertFailure(sendWith(nullName), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesTheSameNameTwiceInDifferentCase() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer a");
        headers.put("authorization", "Bearer b");

        assertFailure(sendWith(headers), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesMoreHeadersThanTheLimit() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i <= NetLimits.REQUEST_HEADERS_MAX; i++) {
            headers.put("X-H" + i, "v");
        }

        assertFailure(sendWith(headers), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesAnOverlongValue() {
        assertFailure(sendWith(Map.of("X-Big", "v".repeat(NetLimits.REQUEST_HEADER_VALUE_CHARS_MAX + 1))), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesHeadersOverTheTotalSize() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            headers.put("X-H" + i, "v".repeat(NetLimits.REQUEST_HEADER_VALUE_CHARS_MAX));
        }

        assertFailure(sendWith(headers), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "Host, evil.example.net", "Connection, Upgrade", "Content-Length, 0", "Transfer-Encoding, chunked",
            "Upgrade, websocket", "TE, trailers", "Trailer, X-Foo", "Keep-Alive, timeout=5", "Expect, 100-continue",
            "Proxy-Authorization, Basic eA==", "Proxy-Connection, keep-alive", "Accept-Encoding, br", "User-Agent, Evil/1.0",
            "Referer, https://evil.example.net/", "Origin, https://evil.example.net", "X-Forwarded-For, 10.0.0.1",
            "X-Forwarded-Host, internal", "Forwarded, for=10.0.0.1", "X-Real-IP, 10.0.0.1", "Via, 1.1 proxy",
            "X-HTTP-Method-Override, TRACE", "X-Capsule-App, com.other.app", "Sec-Fetch-Site, same-origin"})
    void dropsHeadersOnlyCapsuleMaySet(String name, String value) {
        network.respond("/h", 200, "text/plain", "ok");

        assertResponse(sendWith(Map.of(name, value)), 200);

        TestNetwork.RecordedRequest received = network.requests().getFirst();
        if (name.equals("Host")) {
            assertThat(received.header("Host")).isEqualTo(API_HOST);
        } else if (name.equals("User-Agent")) {
            assertThat(received.header("User-Agent")).isEqualTo(GuardedHttpClient.USER_AGENT);
        } else if (name.equals("Content-Length")) {
            assertThat(received.header("Content-Length")).isEqualTo("2");
        } else if (name.equals("Connection") || name.equals("Accept-Encoding")) {
            assertThat(received.header(name)).isNotEqualTo(value);
        } else {
            assertThat(received.header(name)).isNull();
        }
    }

    @Test
    void sendsOrdinaryHeadersAuthorizationAndCookie() {
        network.respond("/h", 200, "text/plain", "ok");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Authorization", "Bearer abc.def");
        headers.put("Cookie", "session=1");
        headers.put("Accept", "application/json");
        headers.put("X-Request-Id", "r-1 part");

        assertResponse(sendWith(headers), 200);

        TestNetwork.RecordedRequest received = network.requests().getFirst();
        assertThat(received.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(received.header("Authorization")).isEqualTo("Bearer abc.def");
        assertThat(received.header("Cookie")).isEqualTo("session=1");
        assertThat(received.header("Accept")).isEqualTo("application/json");
        assertThat(received.header("X-Request-Id")).isEqualTo("r-1 part");
    }
}
