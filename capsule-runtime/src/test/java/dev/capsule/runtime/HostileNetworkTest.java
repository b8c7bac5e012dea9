package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.net.TestNetwork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SSRF through wx.request. The test network's client resolves api.example.com and cdn.example.com to
 * a local HTTPS server and connects every port to it, and admits 127.0.0.1: so a request that slips
 * past the URL checks would reach the server. Each hostile URL must fail with its reason, be audited,
 * and never reach the server; the allowlisted host itself still works.
 */
class HostileNetworkTest {
    private static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String PAGE = "Page({ req(e){ const o = e.detail; o.success = r => console.log('success ' + r.statusCode + ' ' + r.data);"
            + " o.fail = r => console.log('fail ' + r.errMsg); wx.request(o); },"
            + " many(e){ for (let i = 0; i < e.detail.n; i++) wx.request({ url: e.detail.url, fail(r){ console.log('fail ' + r.errMsg) } }); } })";
    private static TestNetwork network;
    private static Harness harness;

    private final String user = "net-" + USERS.incrementAndGet();

    @BeforeAll
    static void start() {
        network = TestNetwork.start();
        network.respond("/ok", 200, "text/plain", "fine");
        network.handle("/slow", exchange -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        network.handle("/redirect", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String to = java.net.URLDecoder.decode(query.substring("to=".length()), java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Location", to);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        harness = new Harness(HostServices.defaults().withAudit(AUDIT::add), RuntimeLimits.DEFAULTS, network.client(), false);
    }

    @AfterAll
    static void stop() {
        harness.close();
        network.close();
    }

    @AfterEach
    void hostStillServesAFreshSession() {
        harness.assertHealthy();
    }

    private static String json(Object value) {
        return StrictJson.mapper().writeValueAsString(value);
    }

    /** Sends one wx.request with {@code options} from a fresh session; returns its console lines. */
    private Harness.Run request(String optionsJson) {
        Harness.Run run = harness.run(TestApps.page(PAGE), user);
        run.dispatch("req", "{\"detail\":" + optionsJson + "}");
        assertThat(run.session().ended()).isFalse();
        return run;
    }

    private List<AuditEvent> audit() {
        return AUDIT.stream().filter(a -> a.userId().equals(user)).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            http://api.example.com/ok                    | only https URLs are allowed, not http:             | denied
            file:///etc/passwd                           | only https URLs are allowed, not file:             | denied
            ftp://api.example.com/ok                     | only https URLs are allowed, not ftp:              | denied
            wss://api.example.com/ok                     | only https URLs are allowed, not wss:              | denied
            javascript:alert(1)                          | only https URLs are allowed, not javascript:       | denied
            https://evil.com/                            | 'evil.com' is not in network.request               | denied
            https://cdn.example.com/ok                   | 'cdn.example.com' is not in network.request        | denied
            https://api.example.com.evil.com/ok          | 'api.example.com.evil.com' is not in network.request | denied
            https://api.example.com@evil.com/ok          | URLs with user info (user@host) are not allowed    | denied
            https://evil.com@api.example.com/ok          | URLs with user info (user@host) are not allowed    | denied
            https://api.example.com%2f@evil.com/ok       | URLs with user info (user@host) are not allowed    | denied
            https://evil.com#@api.example.com/ok         | 'evil.com' is not in network.request               | denied
            https://2130706433/ok                        | IP literals are not allowed                        | denied
            https://0x7f000001/ok                        | IP literals are not allowed                        | denied
            https://0177.0.0.1/ok                        | IP literals are not allowed                        | denied
            https://127.0.0.1/ok                         | IP literals are not allowed                        | denied
            https://0/ok                                 | IP literals are not allowed                        | denied
            https://127.1/ok                             | '127.1' is not a valid host name                   | denied
            https://[::1]/ok                             | IP literals are not allowed                        | denied
            https://[::ffff:127.0.0.1]/ok                | IP literals are not allowed                        | denied
            https://[fe80::1%25eth0]/ok                  | IP literals are not allowed                        | denied
            https://169.254.169.254/latest/meta-data/    | IP literals are not allowed                        | denied
            https://metadata.google.internal/            | '.internal' names are internal or special-use      | denied
            https://localhost/ok                         | localhost is not allowed                           | denied
            https://api.example.com./ok                  | host name must not end with a dot                  | denied
            https://EVIL.COM/ok                          | 'evil.com' is not in network.request               | denied
            https://\u0430pi.example.com/ok              | host name must be ASCII                            | denied
            https://\u4f8b\u3048.jp/ok                   | host name must be ASCII                            | denied
            https://api%2Eexample%2Ecom/ok               | is not a valid host name                           | denied
            https://api.example.com%00.evil.com/ok       | is not a valid host name                           | denied
            https://api.example.com:8443/ok              | 'api.example.com:8443' is not in network.request   | denied
            https://api.example.com:0443/ok              | 'api.example.com:0443' is not host or host:port    | denied
            https://api.example.com:/ok                  | 'api.example.com:' is not host or host:port        | denied
            https://api.example.com:65536/ok             | port must be 1-65535                               | denied
            https:///api.example.com/ok                  | url has no host                                    | denied
            //api.example.com/ok                         | url must be absolute                               | failed
            https:api.example.com/ok                     | url must be absolute                               | failed
            https://evil.com\\@api.example.com/ok        | url is not a valid URL                             | failed
            """)
    void forbiddenUrlFailsIsAuditedAndNeverReachesTheServer(String url, String reason, String auditOutcome) {
        int served = network.requestCount();
        try (var run = request("{\"url\":" + json(url) + ",\"timeout\":3000}")) {
            assertThat(run.events().logs()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("fail request:fail ").contains(reason);
            assertThat(run.events().apis("request")).singleElement().satisfies(api -> {
                assertThat(api.ok()).isFalse();
                assertThat(api.reason()).contains(reason);
            });
            assertThat(audit()).isNotEmpty().allSatisfy(a -> {
                assertThat(a.action()).isEqualTo("wx.request");
                assertThat(a.outcome()).isEqualTo(auditOutcome);
                assertThat(a.appId()).isEqualTo("com.example.test");
            });
        }
        assertThat(network.requestCount()).as("the server was never reached").isEqualTo(served);
    }

    @Test
    void allowlistedHostWorksSoTheDenialsAboveAreNotAnAccident() {
        int served = network.requestCount();
        try (var run = request("{\"url\":\"https://api.example.com/ok\"}")) {
            assertThat(run.events().logs()).containsExactly("success 200 fine");
        }
        assertThat(network.requestCount()).isEqualTo(served + 1);
    }

    @Test
    void upperCaseAllowlistedHostIsTheSameHostNotABypass() {
        int served = network.requestCount();
        try (var run = request("{\"url\":\"https://API.Example.COM/ok\"}")) {
            assertThat(run.events().logs()).containsExactly("success 200 fine");
        }
        assertThat(network.requests().getLast().header("Host")).isEqualTo("api.example.com");
        assertThat(network.requestCount()).isEqualTo(served + 1);
    }

    @Test
    void redirectsToInternalOrForeignTargetsAreRefused() {
        String[] targets = {"https://169.254.169.254/latest/meta-data/", "https://127.0.0.1/ok", "http://api.example.com/ok",
            "https://cdn.example.com/ok", "https://api.example.com@evil.com/ok", "https://localhost/ok", "file:///etc/passwd"};
        for (String target : targets) {
            int served = network.requestCount();
            String url = "https://api.example.com/redirect?to=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8);
            try (var run = request("{\"url\":" + json(url) + "}")) {
                assertThat(run.events().logs()).as(target).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("fail request:fail");
            }
            assertThat(network.requestCount()).as("only the redirecting hop reached the server for %s", target).isEqualTo(served + 1);
        }
    }

    @Test
    void spoofedHostAndForwardingHeadersNeverReachTheServer() {
        String options = "{\"url\":\"https://api.example.com/ok\",\"header\":{\"Host\":\"169.254.169.254\",\"X-Forwarded-For\":\"127.0.0.1\","
                + "\"X-Forwarded-Host\":\"internal\",\"Forwarded\":\"for=127.0.0.1\",\"X-Real-IP\":\"10.0.0.1\",\"Proxy-Authorization\":\"Basic eA==\",\"User-Agent\":\"evil\"}}";
        try (var run = request(options)) {
            assertThat(run.events().logs()).containsExactly("success 200 fine");
        }
        var sent = network.requests().getLast();
        assertThat(sent.header("Host")).isEqualTo("api.example.com");
        assertThat(sent.headers().keySet()).map(String::toLowerCase)
                .doesNotContain("x-forwarded-for", "x-forwarded-host", "forwarded", "x-real-ip", "proxy-authorization");
        assertThat(sent.header("User-Agent")).startsWith("Capsule/");
    }

    @Test
    void headerInjectionWithLineBreaksIsRefused() {
        int served = network.requestCount();
        try (var run = request("{\"url\":\"https://api.example.com/ok\",\"header\":{\"X-A\":\"1\\r\\nHost: 169.254.169.254\"}}")) {
            assertThat(run.events().logs()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("fail request:fail");
        }
        try (var run = request("{\"url\":\"https://api.example.com/ok\",\"header\":{\"X-A\\r\\nHost\":\"evil\"}}")) {
            assertThat(run.events().logs()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("fail request:fail");
        }
        assertThat(network.requestCount()).isEqualTo(served);
    }

    @Test
    void unsafeMethodsAreRefused() {
        for (String method : new String[] {"CONNECT", "TRACE", "TRACK", "PROPFIND", "GET\r\nX: y"}) {
            int served = network.requestCount();
            try (var run = request("{\"url\":\"https://api.example.com/ok\",\"method\":" + json(method) + "}")) {
                assertThat(run.events().logs()).as(method).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("fail request:fail parameter error: method must be one of");
            }
            assertThat(network.requestCount()).isEqualTo(served);
        }
    }

    @Test
    void requestFloodInOneEventIsBoundedByTheInFlightQuota() {
        try (var run = harness.run(TestApps.page(PAGE), user)) {
            run.dispatch("many", "{\"detail\":{\"url\":\"https://api.example.com/slow\",\"n\":30}}");
            List<String> logs = run.events().logs();
            assertThat(logs).as("%s", run.events()).filteredOn(l -> l.contains("too many requests in flight (at most 10)")).hasSize(20);
            assertThat(run.events().apis("request")).hasSize(30);
            assertThat(audit()).filteredOn(a -> a.detail().contains("too many requests in flight")).hasSize(20);
            // The quota comes back once the requests finish.
            run.dispatch("many", "{\"detail\":{\"url\":\"https://evil.com/\",\"n\":1}}");
            assertThat(run.events().logs().getLast()).contains("'evil.com' is not in network.request");
        }
    }
}
