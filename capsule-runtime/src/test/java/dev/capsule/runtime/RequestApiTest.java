package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.net.TestNetwork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** wx.request end to end: the bridge shapes the request, the guarded client reaches a local HTTPS server. */
class RequestApiTest {
    private static TestNetwork network;
    private static Harness harness;
    private static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        network = TestNetwork.start();
        harness = new Harness(HostServices.defaults().withAudit(AUDIT::add), RuntimeLimits.DEFAULTS, network.client(), true);
    }

    @AfterAll
    static void stop() {
        harness.close();
        network.close();
    }

    /** TestNetwork's client connects api.example.com (and cdn.example.com) to its local server; the manifest allowlists api only. */
    private static String manifest() {
        return TestApps.MANIFEST;
    }

    private static Harness.Run run(String onLoadBody) {
        return harness.run(TestApps.app("capsule.json", manifest(), "pages/index/index.js", "Page({onLoad(){ " + onLoadBody + " }})"));
    }

    @Test
    void getWithDataSendsQueryAndParsesJson() {
        network.respond("/items", 200, "application/json", "{\"items\":[1,2,3]}");
        String url = network.url("/items");
        try (var r = run("wx.request({url:'" + url + "', data:{q:'a b', n:2}, success(res){ console.log(res.statusCode + ' ' + res.data.items.length"
                + " + ' ' + res.header['content-type'] + ' ' + res.errMsg) }})")) {
            assertThat(r.events().logs()).contains("200 3 application/json request:ok");
        }
        assertThat(network.requests().getLast().pathAndQuery()).isEqualTo("/items?q=a+b&n=2");
    }

    @Test
    void postSendsJsonBodyAndPromiseResolves() {
        network.respond("/save", 201, "text/plain", "saved");
        String url = network.url("/save");
        try (var r = run("wx.request({url:'" + url + "', method:'POST', data:{title:'milk'}}).then(res => console.log(res.statusCode + ' ' + res.data))")) {
            assertThat(r.events().logs()).contains("201 saved");
        }
        var sent = network.requests().getLast();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.bodyText()).isEqualTo("{\"title\":\"milk\"}");
        assertThat(sent.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void hostsOutsideTheAllowlistAreDeniedAndAudited() {
        int before = network.requestCount();
        String other = network.url("cdn.example.com", "/x");
        try (var r = run("wx.request({url:'" + other + "', fail(e){ console.log(e.errMsg) }});"
                + " wx.request({url:'http://api.example.com/x', fail(e){ console.log(e.errMsg) }})")) {
            assertThat(r.events().apis("request")).hasSize(2).allSatisfy(a -> assertThat(a.ok()).isFalse());
        }
        assertThat(network.requestCount()).isEqualTo(before);
        assertThat(AUDIT).anyMatch(a -> a.action().equals("wx.request") && a.outcome().equals("denied") && a.detail().contains("cdn.example.com"));
    }

    @Test
    void atMostTenRequestsAreInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        network.handle("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        String url = network.url("/slow");
        String body = "for (let i = 0; i < 11; i++) wx.request({url:'" + url + "', fail(e){ console.log('refused ' + e.errMsg) }})";
        // The run waits until every request has finished, so release the server a little later from aside.
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        try (var r = harness.run(TestApps.app("capsule.json", manifest(), "pages/index/index.js", "Page({onLoad(){ " + body + " }})"))) {
            assertThat(r.events().logs()).containsExactly("refused request:fail too many requests in flight (at most 10)");
            assertThat(r.events().apis("request")).filteredOn(RuntimeEvent.Api::ok).hasSize(10);
        }
    }

    @Test
    void arraybufferResponsesAreRefusedClearly() {
        String url = network.url("/items");
        try (var r = run("wx.request({url:'" + url + "', responseType:'arraybuffer', fail(e){ console.log(e.errMsg) }})")) {
            assertThat(r.events().logs()).contains("request:fail responseType 'arraybuffer' is not supported (text only)");
        }
    }
}
