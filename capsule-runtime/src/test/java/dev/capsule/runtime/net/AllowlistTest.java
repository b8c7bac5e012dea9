package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL must be https and name exactly an allowlisted host and port, with nothing hidden in it. */
class AllowlistTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    private HttpOutcome get(String url, List<HostName> allowlist) {
        return await(network.client().send(HttpRequestSpec.get(url), allowlist));
    }

    @Test
    void refusesAHostNotOnTheAllowlist() {
        // cdn.example.com resolves to the server and its certificate covers it: only the allowlist stops it.
        assertFailure(get("https://cdn.example.com/", API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesEverythingWithAnEmptyAllowlist() {
        assertFailure(get(network.url("/"), List.of()), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesASubdomainOfAnAllowedHost() {
        assertFailure(get("https://evil.api.example.com/", API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.example.com/", "ftp://api.example.com/", "wss://api.example.com/", "file:///etc/passwd",
            "javascript:alert(1)", "data:text/plain,hi"})
    void refusesSchemesOtherThanHttps(String url) {
        assertFailure(get(url, API), FailureKind.SCHEME_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void acceptsTheSchemeInAnyCase() {
        network.respond("/", 200, "text/plain", "ok");

        assertResponse(get("HTTPS://api.example.com/", API), 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com@cdn.example.com/", "https://user:pass@api.example.com/",
            "https://api.example.com:443@cdn.example.com/", "https://api.example.com%40cdn.example.com/"})
    void refusesUserInfo(String url) {
        assertFailure(get(url, TestNetwork.allowlist(API_HOST, TestNetwork.CDN_HOST)), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/",
            "https://127.1/", "https://0x7f.0.0.1/", "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/",
            "https://169.254.169.254/latest/meta-data/", "https://[fe80::1%25eth0]/"})
    void refusesIpLiteralsInEveryNotation(String url) {
        assertFailure(get(url, API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesATrailingDot() {
        assertFailure(get("https://api.example.com./", API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void normalisesAnUppercaseHost() {
        network.respond("/", 200, "text/plain", "ok");

        assertResponse(get("https://API.Example.COM/", API), 200);
        assertThat(network.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("Host")).isEqualTo(API_HOST);
            assertThat(r.serverName()).isEqualTo(API_HOST);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://bücher.example.com/", "https://аpi.example.com/", "https://api.example.com\u3002/"})
    void refusesNonAsciiHostNames(String url) {
        // The second has a Cyrillic 'а'; the third an ideographic full stop some parsers read as '.'.
        HttpOutcome outcome = get(url, API);

        assertThat(outcome).isInstanceOf(HttpOutcome.Failure.class);
        assertThat(((HttpOutcome.Failure) outcome).kind()).isIn(FailureKind.HOST_NOT_ALLOWED, FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void acceptsAPunycodeHostWhenAllowlisted() {
        // xn--bcher-kva.example.com is not resolvable in the test network: passing the allowlist is
        // shown by failing later, at DNS.
        assertFailure(get("https://xn--bcher-kva.example.com/", TestNetwork.allowlist("xn--bcher-kva.example.com")),
                FailureKind.DNS_FAILED);
    }

    @Test
    void refusesAPortTheAllowlistDoesNotName() {
        assertFailure(get("https://api.example.com:8443/", API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void allowsAPortTheAllowlistNames() {
        network.respond("/", 200, "text/plain", "ok");

        assertResponse(get("https://api.example.com:8443/", TestNetwork.allowlist("api.example.com:8443")), 200);
    }

    @Test
    void anEntryWithAPortDoesNotAllowTheDefaultPort() {
        assertFailure(get(network.url("/"), TestNetwork.allowlist("api.example.com:8443")), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void treatsAnExplicit443AsTheDefaultPort() {
        network.respond("/", 200, "text/plain", "ok");

        assertResponse(get("https://api.example.com:443/", API), 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com:/", "https://api.example.com:0443/", "https://api.example.com:99999/"})
    void refusesOddPortSpellings(String url) {
        assertFailure(get(url, API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api.example.com/x", "/relative", "https://api.example.com/a b", "https://api.example.com/\r\nX-Injected: 1",
            "https://api.example.com/%zz"})
    void refusesMalformedUrls(String url) {
        assertFailure(get(url, API), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesAnOverlongUrl() {
        assertFailure(get(network.url("/?q=" + "a".repeat(NetLimits.URL_CHARS_MAX)), API), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/", "https://service.internal/", "https://printer.local/", "https://api_x.example.com/"})
    void refusesLocalAndInvalidNames(String url) {
        assertFailure(get(url, API), FailureKind.HOST_NOT_ALLOWED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void dropsTheFragment() {
        network.respond("/page", 200, "text/plain", "ok");

        assertResponse(get(network.url("/page?a=1#secret"), API), 200);
        assertThat(network.requests()).singleElement().extracting(TestNetwork.RecordedRequest::pathAndQuery).isEqualTo("/page?a=1");
    }
}
