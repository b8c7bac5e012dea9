package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.NetAssertions.ip;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static dev.capsule.runtime.net.TestNetwork.CDN_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Capsule follows redirects itself and checks every hop like a new request. */
class RedirectTest {
    private static final List<HostName> BOTH = TestNetwork.allowlist(API_HOST, CDN_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    private void redirect(String path, int status, String location) {
        network.handle(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            byte[] body = "moved".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private List<String> paths() {
        return network.requests().stream().map(TestNetwork.RecordedRequest::pathAndQuery).toList();
    }

    @Test
    void followsARelativeRedirect() {
        redirect("/old", 301, "/new?x=1");
        network.respond("/new", 200, "text/plain", "here");

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/old")), BOTH));

        assertThat(new String(assertResponse(outcome, 200).body(), StandardCharsets.UTF_8)).isEqualTo("here");
        assertThat(paths()).containsExactly("/old", "/new?x=1");
    }

    @Test
    void followsARedirectToAnotherAllowedHost() {
        redirect("/old", 302, "https://cdn.example.com/new");
        network.respond("/new", 200, "text/plain", "here");

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/old")), BOTH)), 200);
        assertThat(network.requests()).extracting(TestNetwork.RecordedRequest::serverName).containsExactly(API_HOST, CDN_HOST);
    }

    @Test
    void rejectsRedirectToAHostNotOnTheAllowlist() {
        redirect("/old", 302, "https://cdn.example.com/new");
        network.respond("/new", 200, "text/plain", "here");

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/old")), TestNetwork.allowlist(API_HOST)));

        assertThat(assertFailure(outcome, FailureKind.HOST_NOT_ALLOWED).message()).startsWith("redirect refused");
        assertThat(paths()).containsExactly("/old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.example.com/new", "https://127.0.0.1/new", "https://api.example.com@cdn.example.com/new",
            "https://[::1]/new", "https://169.254.169.254/latest/meta-data/"})
    void rejectsRedirectsThatWouldNotPassAsUrls(String location) {
        redirect("/old", 307, location);

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/old")), BOTH));

        assertThat(outcome).isInstanceOf(HttpOutcome.Failure.class);
        assertThat(((HttpOutcome.Failure) outcome).kind()).isIn(FailureKind.HOST_NOT_ALLOWED, FailureKind.SCHEME_NOT_ALLOWED);
        assertThat(paths()).containsExactly("/old");
    }

    @Test
    void rejectsRedirectToAnAllowedNameThatResolvesToAPrivateAddress() {
        redirect("/old", 302, "https://cdn.example.com/new");
        network.respond("/new", 200, "text/plain", "here");
        Resolver resolver = (host, timeout) -> switch (host) {
            case API_HOST -> List.of(TestNetwork.SERVER_ADDRESS);
            case CDN_HOST -> List.of(ip("192.168.0.10"));
            default -> throw new UnknownHostException(host);
        };
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS, resolver, TestNetwork.loopbackServerPolicy());

        assertFailure(await(client.send(HttpRequestSpec.get(network.url("/old")), BOTH)), FailureKind.ADDRESS_BLOCKED);
        assertThat(paths()).containsExactly("/old");
    }

    @Test
    void followsFiveRedirects() {
        for (int i = 0; i < 5; i++) {
            redirect("/r" + i, 302, "/r" + (i + 1));
        }
        network.respond("/r5", 200, "text/plain", "done");

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/r0")), BOTH)), 200);
        assertThat(network.requestCount()).isEqualTo(6);
    }

    @Test
    void failsOnTheSixthRedirect() {
        for (int i = 0; i < 6; i++) {
            redirect("/r" + i, 302, "/r" + (i + 1));
        }
        network.respond("/r6", 200, "text/plain", "never");

        assertFailure(await(network.client().send(HttpRequestSpec.get(network.url("/r0")), BOTH)), FailureKind.TOO_MANY_REDIRECTS);
        assertThat(paths()).doesNotContain("/r6").hasSize(6);
    }

    @Test
    void failsOnARedirectLoop() {
        redirect("/loop", 302, "/loop");

        assertFailure(await(network.client().send(HttpRequestSpec.get(network.url("/loop")), BOTH)), FailureKind.TOO_MANY_REDIRECTS);
        assertThat(network.requestCount()).isEqualTo(NetLimits.REDIRECTS_MAX + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303})
    void turnsAPostIntoABodylessGet(int status) {
        redirect("/form", status, "/result");
        network.respond("/result", 200, "text/plain", "ok");
        HttpRequestSpec post = new HttpRequestSpec(network.url("/form"), "POST", Map.of("Content-Type", "application/json"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null);

        assertResponse(await(network.client().send(post, BOTH)), 200);

        TestNetwork.RecordedRequest second = network.requests().get(1);
        assertThat(second.method()).isEqualTo("GET");
        assertThat(second.body()).isEmpty();
        assertThat(second.header("Content-Type")).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void repeatsMethodAndBodyOn307And308(int status) {
        redirect("/form", status, "/result");
        network.respond("/result", 200, "text/plain", "ok");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        HttpRequestSpec put = new HttpRequestSpec(network.url("/form"), "PUT", Map.of("Content-Type", "application/json"), body, null);

        assertResponse(await(network.client().send(put, BOTH)), 200);

        TestNetwork.RecordedRequest second = network.requests().get(1);
        assertThat(second.method()).isEqualTo("PUT");
        assertThat(second.body()).isEqualTo(body);
        assertThat(second.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void dropsCredentialsWhenARedirectLeavesTheOrigin() {
        redirect("/old", 302, "https://cdn.example.com/new");
        redirect("/new", 302, "https://api.example.com/back");
        network.respond("/back", 200, "text/plain", "ok");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer secret");
        headers.put("Cookie", "session=secret");
        headers.put("X-Trace", "kept");

        assertResponse(await(network.client().send(new HttpRequestSpec(network.url("/old"), "GET", headers, null, null), BOTH)), 200);

        List<TestNetwork.RecordedRequest> requests = network.requests();
        assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer secret");
        assertThat(requests.get(0).header("Cookie")).isEqualTo("session=secret");
        for (TestNetwork.RecordedRequest later : requests.subList(1, 3)) {
            assertThat(later.header("Authorization")).isNull();
            assertThat(later.header("Cookie")).isNull();
            assertThat(later.header("X-Trace")).isEqualTo("kept");
        }
    }

    @Test
    void keepsCredentialsOnASameOriginRedirect() {
        redirect("/old", 301, "/new");
        network.respond("/new", 200, "text/plain", "ok");

        HttpRequestSpec spec = new HttpRequestSpec(network.url("/old"), "GET", Map.of("Authorization", "Bearer secret"), null, null);
        assertResponse(await(network.client().send(spec, BOTH)), 200);

        assertThat(network.requests().get(1).header("Authorization")).isEqualTo("Bearer secret");
    }

    @Test
    void returnsARedirectWithoutLocationAsAResponse() {
        network.respond("/odd", 302, "text/plain", "no location");

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/odd")), BOTH)), 302);
    }

    @Test
    void returnsOtherThreeHundredsAsResponses() {
        network.handle("/cached", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://evil.example.net/");
            exchange.sendResponseHeaders(304, -1);
        });

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/cached")), BOTH)), 304);
        assertThat(network.requestCount()).isEqualTo(1);
    }

    @Test
    void reportsAnUnparseableLocationAsABadResponse() {
        redirect("/old", 302, "https://api.example.com/a b");

        assertFailure(await(network.client().send(HttpRequestSpec.get(network.url("/old")), BOTH)), FailureKind.BAD_RESPONSE);
    }
}
