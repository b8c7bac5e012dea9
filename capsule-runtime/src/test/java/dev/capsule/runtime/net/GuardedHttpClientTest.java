package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedHttpClientTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    @Test
    void getsFromAnAllowedHost() {
        network.respond("/todos", 200, "application/json", "[{\"id\":1}]");

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/todos?page=2")), API));

        HttpOutcome.Response response = assertResponse(outcome, 200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("[{\"id\":1}]");
        assertThat(response.headers()).containsEntry("content-type", List.of("application/json"));
        assertThat(network.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.pathAndQuery()).isEqualTo("/todos?page=2");
            assertThat(r.header("Host")).isEqualTo(API_HOST);
            assertThat(r.header("User-Agent")).isEqualTo(GuardedHttpClient.USER_AGENT);
        });
    }

    @Test
    void postsAJsonBody() {
        network.handle("/todos", exchange -> {
            byte[] created = "{\"created\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, created.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(created);
            }
        });
        byte[] json = "{\"title\":\"buy milk\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequestSpec post = new HttpRequestSpec(network.url("/todos"), "POST",
                Map.of("Content-Type", "application/json"), json, Duration.ofSeconds(10));

        HttpOutcome outcome = await(network.client().send(post, API));

        assertThat(new String(assertResponse(outcome, 201).body(), StandardCharsets.UTF_8)).isEqualTo("{\"created\":true}");
        assertThat(network.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(json.length));
            assertThat(r.body()).isEqualTo(json);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "OPTIONS", "HEAD", "post", "Get"})
    void makesEachWeChatMethodInAnyCase(String method) {
        network.respond("/thing", 200, "text/plain", "ok");

        HttpOutcome outcome = await(network.client().send(new HttpRequestSpec(network.url("/thing"), method, null, null, null), API));

        assertResponse(outcome, 200);
        assertThat(network.requests()).singleElement().extracting(TestNetwork.RecordedRequest::method)
                .isEqualTo(method.toUpperCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "CONNECT", "PATCH", "GET /admin HTTP/1.1\r\nX:", ""})
    void refusesOtherMethods(String method) {
        HttpOutcome outcome = await(network.client().send(new HttpRequestSpec(network.url("/x"), method, null, null, null), API));

        assertFailure(outcome, FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void setsSniToTheUrlHost() {
        network.respond("/", 204, "text/plain", "");

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/")), API)), 204);

        assertThat(network.requests()).singleElement().extracting(TestNetwork.RecordedRequest::serverName).isEqualTo(API_HOST);
    }

    @Test
    void returnsErrorStatusesAsResponses() {
        network.respond("/missing", 404, "application/json", "{\"error\":\"nope\"}");

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/missing")), API));

        assertThat(new String(assertResponse(outcome, 404).body(), StandardCharsets.UTF_8)).contains("nope");
    }

    @Test
    void decodesGzipBodies() {
        byte[] text = "hello ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        network.handle("/zipped", exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody())) {
                out.write(text);
            }
        });

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(network.url("/zipped")), API));

        HttpOutcome.Response response = assertResponse(outcome, 200);
        assertThat(response.body()).isEqualTo(text);
        assertThat(response.headers()).doesNotContainKey("content-encoding");
    }

    @Test
    void percentEncodesNonAsciiPathAndQueryAsUtf8() {
        network.respond("/搜索", 200, "text/plain", "ok");

        assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/搜索?q=中文")), API)), 200);

        assertThat(network.requests()).singleElement().extracting(TestNetwork.RecordedRequest::pathAndQuery)
                .isEqualTo("/%E6%90%9C%E7%B4%A2?q=%E4%B8%AD%E6%96%87");
    }

    @Test
    void refusesABodyOnGet() {
        HttpRequestSpec get = new HttpRequestSpec(network.url("/x"), "GET", null, new byte[] {1}, null);

        assertFailure(await(network.client().send(get, API)), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesARequestBodyOverTheCap() {
        byte[] body = new byte[NetLimits.REQUEST_BODY_BYTES_MAX + 1];
        HttpRequestSpec post = new HttpRequestSpec(network.url("/x"), "POST", null, body, null);

        assertFailure(await(network.client().send(post, API)), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void refusesANonPositiveTimeout(long millis) {
        HttpRequestSpec spec = new HttpRequestSpec(network.url("/x"), "GET", null, null, Duration.ofMillis(millis));

        assertFailure(await(network.client().send(spec, API)), FailureKind.BAD_REQUEST);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void shortensATimeoutOverTheLimitInsteadOfRefusingIt() {
        network.respond("/x", 200, "text/plain", "ok");
        HttpRequestSpec spec = new HttpRequestSpec(network.url("/x"), "GET", null, null, Duration.ofDays(365_000));

        assertResponse(await(network.client().send(spec, API)), 200);
        assertThat(Exchange.timeoutMillis(spec.timeout(), NetLimits.DEFAULTS)).isEqualTo(NetLimits.TIMEOUT_MILLIS_MAX);
    }

    @Test
    void completesOnAClientThread() {
        network.respond("/x", 200, "text/plain", "ok");
        AtomicReference<String> thread = new AtomicReference<>();

        CompletableFuture<HttpOutcome> future = network.client().send(HttpRequestSpec.get(network.url("/x")), API)
                .whenComplete((outcome, error) -> thread.set(Thread.currentThread().getName()));
        await(future);

        assertThat(thread.get()).startsWith("capsule-net-");
    }

    @Test
    void failsRequestsAfterClose() {
        GuardedHttpClient client = network.client();
        client.close();

        assertFailure(await(client.send(HttpRequestSpec.get(network.url("/x")), API)), FailureKind.UNAVAILABLE);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void closeEndsARequestInProgress() throws Exception {
        network.handle("/slow", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GuardedHttpClient client = network.client();
        CompletableFuture<HttpOutcome> future = client.send(HttpRequestSpec.get(network.url("/slow")), API);
        while (network.requestCount() == 0) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();

        client.close();

        assertFailure(await(future), FailureKind.UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void connectsDirectlyEvenWhenTheJvmHasAProxy() throws Exception {
        // A JVM-wide default ProxySelector sending every socket to a SOCKS proxy that does not exist
        // (plain new Socket() would obey it; the JDK's own selector never proxies loopback, hence
        // a custom one): the request only succeeds if the client connects directly.
        network.respond("/", 200, "text/plain", "ok");
        int deadPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(TestNetwork.SERVER_ADDRESS, deadPort)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
        try {
            assertResponse(await(network.client().send(HttpRequestSpec.get(network.url("/")), API)), 200);
        } finally {
            ProxySelector.setDefault(previous);
        }
    }

    @Test
    void productionClientCannotReachTheLoopbackTestServer() {
        // create() has no way to admit loopback: api.example.com must resolve publicly, which it
        // may or may not do here, but it can never reach this 127.0.0.1 server.
        try (GuardedHttpClient production = GuardedHttpClient.create()) {
            HttpOutcome outcome = await(production.send(
                    new HttpRequestSpec("https://api.example.com:" + network.port() + "/", "GET", null, null, Duration.ofSeconds(2)),
                    TestNetwork.allowlist(API_HOST + ":" + network.port())));
            assertThat(outcome).isInstanceOf(HttpOutcome.Failure.class);
        }
        assertThat(network.requestCount()).isZero();
    }
}
