package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Withdrawing consent in the shell's settings holds for a running session at once: a real server (HTTPS, PostgreSQL),
 * a real shell session (a grant exchanged for the cookie), a real WebSocket session of a mini-program that calls
 * {@code wx.getLocation} on every tap. The host provides no location, so an allowed call answers "location
 * unavailable" and a refused one "auth deny": the two outcomes the test tells apart. (The same properties as
 * {@link HostSessionsTest}, so the two share one server.)
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.events-burst-max=10",
        "capsule.host.events-per-second-max=2", "capsule.host.prompt-seconds=5", "capsule.host.sessions-per-node-max=64"})
class ConsentWithdrawalTest {
    static final String APP = "com.example.withdraw";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String ALLOWED = "getLocation:fail location unavailable";
    private static final String REFUSED = "getLocation:fail auth deny";

    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired TestHttps https;
    @Autowired ShellSignIn signIn;
    @Autowired JdbcClient jdbc;
    @Autowired PairwiseIds pairwise;
    SSLContext tls;
    ShellUserId user;
    String cookie;

    static Map<String, String> files(String purpose) {
        return Map.of(
                "capsule.json", """
                        {"id": "com.example.withdraw", "version": "1.0.0", "name": "Withdraw",
                         "developer": {"id": "example", "name": "Example Ltd"},
                         "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                         "privacy": [{"data": "location", "apis": ["wx.getLocation"], "purpose": "%s"}],
                         "dependencies": []}""".formatted(purpose),
                "app.json", """
                        {"pages": ["pages/index/index"]}""",
                "app.js", "App({});\n",
                "pages/index/index.json", "{}",
                "pages/index/index.wxml", "<button id=\"locate\" bindtap=\"locate\">Locate</button><text>call {{tries}}: {{result}}</text>",
                "pages/index/index.js", """
                        Page({
                          data: { tries: 0, result: 'none' },
                          locate() {
                            wx.getLocation({ complete: (r) => this.setData({ tries: this.data.tries + 1, result: r.errMsg }) });
                          }
                        });
                        """);
    }

    @BeforeAll
    static void miniProgram() throws Exception {
        ShellTestBeans.fixture(APP, files("Show the weather where you are"));
    }

    @BeforeEach
    void signInAUser() {
        tls = TestHttps.trusting(certificate.certificatePem());
        user = new ShellUserId("acct-withdraw-" + USERS.incrementAndGet() + "-" + System.nanoTime());
        cookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", user, Optional.empty(), 60).token()).orElseThrow().cookieToken();
    }

    ShellSocket open() {
        return ShellSocket.connect(tls, ports.https(), "/shell/ws/" + APP, null, ShellSocket.origin(ports.https()),
                "Cookie", ShellHttp.COOKIE + "=" + cookie);
    }

    /** Taps Locate and returns the next prompt, or the page's change if no prompt came first. */
    static JsonNode tap(ShellSocket socket, int locate) throws InterruptedException {
        socket.send("{\"t\":\"event\",\"node\":" + locate + ",\"type\":\"tap\",\"detail\":{}}");
        return socket.next(f -> f.path("t").asString().matches("prompt|ops"));
    }

    /** The page's change for call {@code n} with {@code result}. */
    static void expectCall(ShellSocket socket, JsonNode frame, int n, String result) throws InterruptedException {
        String text = "call " + n + ": " + result;
        assertThat(frame.path("t").asString()).as("no prompt: " + frame).isEqualTo("ops");
        if (!frame.toString().contains(text)) {
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains(text));
        }
    }

    HttpResponse<String> settings(String action) {
        String csrf = ShellHttp.csrfOf(https.get("/shell/settings", ShellHttp.cookie(cookie)).body());
        return ShellHttp.postForm(https, "/shell/settings/" + action, Map.of("shellCsrf", csrf, "app", APP, "scope", "scope.userLocation"),
                "Cookie", ShellHttp.COOKIE + "=" + cookie, "Origin", ShellHttp.origin(https));
    }

    @Test
    void withdrawingInSettingsDeniesTheRunningSessionsNextCallWithoutAPromptAndAllowRestoresIt() throws Exception {
        try (ShellSocket socket = open()) {
            socket.next("open");
            int locate = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            JsonNode prompt = tap(socket, locate);
            assertThat(prompt.path("kind").asString()).isEqualTo("consent");
            assertThat(prompt.path("purpose").asString()).isEqualTo("Show the weather where you are");
            socket.send("{\"t\":\"answer\",\"id\":" + prompt.path("id").asInt() + ",\"allow\":true}");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("call 1: " + ALLOWED));
            expectCall(socket, tap(socket, locate), 2, ALLOWED);

            // The same session, still open: withdrawn in settings, its very next call is refused, and nobody is asked.
            assertThat(settings("withdraw").statusCode()).isEqualTo(302);
            expectCall(socket, tap(socket, locate), 3, REFUSED);
            expectCall(socket, tap(socket, locate), 4, REFUSED);

            assertThat(settings("allow").statusCode()).isEqualTo(302);
            expectCall(socket, tap(socket, locate), 5, ALLOWED);
        }
        assertThat(jdbc.sql("SELECT decision || ' ' || via FROM host_consent_events WHERE app_id = :a AND user_id = :u ORDER BY id")
                .param("a", APP).param("u", pairwise.runtimeUserId(MiniProgramId.of(APP), user)).query(String.class).list()).containsExactly("granted prompt", "withdrawn settings", "granted settings");
    }

    @Test
    void aChangedPurposeAsksAgainAndTheSameTextDoesNot() throws Exception {
        try (ShellSocket socket = open()) {
            socket.next("open");
            int locate = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            JsonNode prompt = tap(socket, locate);
            socket.send("{\"t\":\"answer\",\"id\":" + prompt.path("id").asInt() + ",\"allow\":true}");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("call 1: " + ALLOWED));
        }
        try (ShellSocket again = open()) {
            again.next("open");
            int locate = ShellSocket.element(again.next("page").path("tree"), "button").path("id").asInt();
            expectCall(again, tap(again, locate), 1, ALLOWED); // the same privacy text: remembered
        }
        ShellTestBeans.fixture(APP, files("Show ads near you"));
        try {
            try (ShellSocket changed = open()) {
                changed.next("open");
                int locate = ShellSocket.element(changed.next("page").path("tree"), "button").path("id").asInt();
                JsonNode prompt = tap(changed, locate);
                assertThat(prompt.path("t").asString()).as("asked again").isEqualTo("prompt");
                assertThat(prompt.path("purpose").asString()).isEqualTo("Show ads near you");
                changed.send("{\"t\":\"answer\",\"id\":" + prompt.path("id").asInt() + ",\"allow\":false}");
                changed.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("call 1: " + REFUSED));
            }
        } finally {
            ShellTestBeans.fixture(APP, files("Show the weather where you are"));
        }
    }
}
