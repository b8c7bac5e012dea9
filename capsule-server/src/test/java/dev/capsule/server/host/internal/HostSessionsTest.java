package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.testing.RepoPaths;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
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
 * The host's sessions end to end: a real server (HTTPS, PostgreSQL), a real WebSocket client, sessions in-process
 * (the isolation tier has its own test, {@link HostProcessIsolationTest}). Each test signs in as its own user, so the
 * per-user limit of one test never meets another's sessions.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.events-burst-max=10",
        "capsule.host.events-per-second-max=2", "capsule.host.prompt-seconds=5", "capsule.host.sessions-per-node-max=64"})
class HostSessionsTest {
    static final String TODO_EXAMPLE = "com.example.todo";
    static final String PROMPTS = "com.example.prompts";
    static final String CONSENT = "com.example.consent";
    private static final AtomicInteger USERS = new AtomicInteger();

    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired TestHttps https;
    @Autowired ShellTestBeans.HostEvents hostEvents;
    @Autowired MeterRegistry meters;
    @Autowired JdbcClient jdbc;
    @Autowired PairwiseIds pairwise;
    SSLContext tls;
    String user;

    @BeforeAll
    static void mini_programs() throws Exception {
        ShellTestBeans.DIRECTORIES.put(TODO_EXAMPLE, RepoPaths.example("todo"));
        Path prompts = ShellTestBeans.fixture(PROMPTS, Map.of(
                "capsule.json", """
                        {"id": "com.example.prompts", "version": "1.0.0", "name": "Prompts",
                         "developer": {"id": "example", "name": "Example Ltd"},
                         "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                         "privacy": [], "dependencies": []}""",
                "app.json", """
                        {"pages": ["pages/index/index"]}""",
                "app.js", "App({});\n",
                "pages/index/index.json", "{}",
                "pages/index/index.wxml", """
                        <view class="box"><button id="ask" bindtap="ask">Ask</button><text id="answer">{{answer}}</text>
                        <image id="logo" src="/images/logo.png"></image></view>""",
                "pages/index/index.wxss", ".box { background: url('/images/logo.png'); }",
                "pages/index/index.js", """
                        Page({
                          data: { answer: 'none' },
                          ask() {
                            wx.showModal({ title: 'Really?', content: '<b>sure</b>',
                              success: (r) => this.setData({ answer: r.confirm ? 'yes' : 'no' }) });
                          }
                        });
                        """));
        ShellTestBeans.fixture(CONSENT, Map.of(
                "capsule.json", """
                        {"id": "com.example.consent", "version": "1.0.0", "name": "Consent",
                         "developer": {"id": "example", "name": "Example Ltd"},
                         "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                         "privacy": [{"data": "location", "apis": ["wx.getLocation"], "purpose": "Show the weather where you are"}],
                         "dependencies": []}""",
                "app.json", """
                        {"pages": ["pages/index/index"]}""",
                "app.js", "App({});\n",
                "pages/index/index.json", "{}",
                "pages/index/index.wxml", "<button id=\"locate\" bindtap=\"locate\">Locate</button><text>tries {{tries}}</text>",
                "pages/index/index.js", """
                        Page({
                          data: { tries: 0 },
                          locate() {
                            console.log('locating');
                            wx.getLocation({ complete: () => this.setData({ tries: this.data.tries + 1 }) });
                          }
                        });
                        """));
        Files.createDirectories(prompts.resolve("images"));
        Files.write(prompts.resolve("images/logo.png"), Base64Png.BYTES);
    }

    @BeforeEach
    void setUp() {
        tls = TestHttps.trusting(certificate.certificatePem());
        user = "user-" + USERS.incrementAndGet() + "-" + System.nanoTime();
    }

    ShellSocket open(String app) {
        return ShellSocket.connect(tls, ports.https(), "/shell/ws/" + app, user, ShellSocket.origin(ports.https()));
    }

    @Test
    void openingTheTodoExampleSendsOpenThenItsFirstPage() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            JsonNode open = socket.next("open");
            assertThat(open.path("session").asString()).matches("[0-9a-f]{32}");
            assertThat(open.path("app").path("id").asString()).isEqualTo(TODO_EXAMPLE);
            assertThat(open.path("app").path("name").asString()).isEqualTo("Todo");
            assertThat(open.path("dev").asBoolean()).isTrue(); // a preview plan
            assertThat(open.path("demo").asBoolean()).isFalse();
            JsonNode page = socket.next("page");
            assertThat(page.path("route").asString()).isEqualTo("pages/index/index");
            assertThat(page.path("css").asString()).isEqualTo("/shell/s/" + open.path("session").asString()
                    + "/page.css?route=pages%2Findex%2Findex");
            assertThat(ShellSocket.text(page.path("tree"))).contains("Nothing to do");
            assertThat(page.path("canGoBack").asBoolean()).isFalse();
            assertThat(meters.get("capsule.host.sessions").gauge().value()).isGreaterThanOrEqualTo(1);
            assertThat(hostEvents.of(HostEvent.What.SESSION_OPEN, new ShellUserId(user))).hasSize(1);
        }
    }

    @Test
    void typingAndTappingAddChangeThePageThroughOpsAndTheItemIsStoredForTheNextSession() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            JsonNode page = socket.next("page");
            int input = ShellSocket.element(page.path("tree"), "input").path("id").asInt();
            int add = ShellSocket.element(page.path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + input + ",\"type\":\"input\",\"detail\":{\"value\":\"buy milk\",\"cursor\":8}}");
            socket.send("{\"t\":\"event\",\"node\":" + add + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode ops = socket.next(frame -> frame.path("t").asString().equals("ops") && frame.toString().contains("buy milk"));
            assertThat(ops.path("route").asString()).isEqualTo("pages/index/index");
        }
        // A second session of the same user (no resume) loads the stored list: storage is the platform's, per user and app.
        try (ShellSocket again = open(TODO_EXAMPLE)) {
            again.next("open");
            assertThat(ShellSocket.text(again.next("page").path("tree"))).contains("buy milk");
        }
        // Each start recorded the area's day of use (for the unused-storage retention policy), once for the day.
        String id = pairwise.runtimeUserId(new MiniProgramId(TODO_EXAMPLE), new ShellUserId(user));
        assertThat(jdbc.sql("SELECT subject::text || ' ' || (last_used = current_date) FROM host_storage_use WHERE area = :a")
                .param("a", EncryptedStorage.areaName(TODO_EXAMPLE, id)).query(String.class).single())
                .isEqualTo(HostStorageConfiguration.areaSubject(TODO_EXAMPLE, id) + " true");
    }

    @Test
    void aTapWithNothingTypedShowsTheHostToast() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            int add = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + add + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode ui = socket.next("ui");
            assertThat(ui.path("kind").asString()).isEqualTo("toast");
            assertThat(ui.path("args").path("title").asString()).isEqualTo("Type something first");
        }
    }

    @Test
    void anEventForANodeThePageDoesNotHaveOrATypeItDoesNotEmitIsRefusedAndReachesNoHandler() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            JsonNode page = socket.next("page");
            socket.send("{\"t\":\"event\",\"node\":999999,\"type\":\"tap\",\"detail\":{}}");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("event refused: event target #999999 is not an element of this page");
            int input = ShellSocket.element(page.path("tree"), "input").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + input + ",\"type\":\"scroll\",\"detail\":{}}");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("event refused: <input> does not emit \"scroll\"");
            socket.send("{\"t\":\"nonsense\"}");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("unknown frame type");
            socket.send("not json");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("a frame is one JSON object");
            socket.send("{\"t\":\"back\",\"extra\":1}");
            assertThat(socket.next("refused").path("message").asString()).contains("unknown field");
            // None of it changed the page.
            assertThat(socket.drain(Duration.ofMillis(500))).noneMatch(f -> f.path("t").asString().matches("ops|page"));
        }
    }

    @Test
    void framesBeyondTheEventBucketAreRefusedAsTooMany() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            socket.next("page");
            for (int i = 0; i < 30; i++) {
                socket.send("{\"t\":\"back\"}"); // each takes a token; refused for having no page to go back to, or for the rate
            }
            JsonNode tooMany = socket.next(f -> f.path("t").asString().equals("refused")
                    && f.path("message").asString().startsWith("too many events"));
            assertThat(tooMany).isNotNull();
        }
    }

    @Test
    void aBrowserFrameLargerThanTheMessageLimitClosesTheSocketWith1009() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            String big = "{\"t\":\"event\",\"node\":1,\"type\":\"input\",\"detail\":{\"value\":\"" + "x".repeat(HostSettings.MESSAGE_BYTES_MAX) + "\"}}";
            socket.send(big);
            assertThat(socket.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void navigatingToAnotherPageSendsItWholeAndTheHostBackArrowReturns() throws Exception {
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            socket.next("open");
            JsonNode first = socket.next("page");
            int about = elementWithText(first.path("tree"), "About this app");
            socket.send("{\"t\":\"event\",\"node\":" + about + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode second = socket.next(f -> f.path("t").asString().equals("page") && f.path("route").asString().equals("pages/about/about"));
            assertThat(second.path("canGoBack").asBoolean()).isTrue();
            socket.send("{\"t\":\"back\"}");
            JsonNode back = socket.next(f -> f.path("t").asString().equals("page") && f.path("route").asString().equals("pages/index/index"));
            assertThat(back.path("canGoBack").asBoolean()).isFalse();
            socket.send("{\"t\":\"back\"}");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("there is no page to go back to");
            socket.send("{\"t\":\"tab\",\"index\":0}");
            assertThat(socket.next("refused").path("message").asString()).isEqualTo("the mini-program has no tab at this index");
        }
    }

    @Test
    void aReconnectWithResumeGetsTheSameSessionAndItsWholePageAnotherUserIsToldItEnded() throws Exception {
        String session;
        try (ShellSocket socket = open(TODO_EXAMPLE)) {
            session = socket.next("open").path("session").asString();
            socket.next("page");
        }
        try (ShellSocket resumed = ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE + "?resume=" + session, user,
                ShellSocket.origin(ports.https()))) {
            assertThat(resumed.next("open").path("session").asString()).isEqualTo(session);
            assertThat(resumed.next("page").path("route").asString()).isEqualTo("pages/index/index");
        }
        try (ShellSocket stranger = ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE + "?resume=" + session, user + "-other",
                ShellSocket.origin(ports.https()))) {
            assertThat(stranger.next("ended").path("reason").asString()).contains("has ended");
            assertThat(stranger.awaitClose()).isEqualTo(1000);
        }
        try (ShellSocket unknown = ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE + "?resume=" + "0".repeat(32), user,
                ShellSocket.origin(ports.https()))) {
            assertThat(unknown.next("ended").path("reason").asString()).contains("has ended");
        }
    }

    @Test
    void aModalIsAPromptOfTheHostAnsweredExactlyOnce() throws Exception {
        try (ShellSocket socket = open(PROMPTS)) {
            socket.next("open");
            JsonNode page = socket.next("page");
            int ask = ShellSocket.element(page.path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + ask + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode prompt = socket.next("prompt");
            assertThat(prompt.path("kind").asString()).isEqualTo("modal");
            assertThat(prompt.path("title").asString()).isEqualTo("Really?");
            assertThat(prompt.path("content").asString()).isEqualTo("<b>sure</b>"); // data; the shell writes it as text
            int id = prompt.path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"index\":0}");
            assertThat(socket.next("refused").path("message").asString()).contains("does not fit");
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"confirm\":true}");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("yes"));
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"confirm\":false}");
            assertThat(socket.next("refused").path("message").asString()).contains("no prompt with this id");
        }
    }

    @Test
    void anUnansweredModalIsCancelAfterThePromptTime() throws Exception {
        try (ShellSocket socket = open(PROMPTS)) {
            socket.next("open");
            int ask = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + ask + ",\"type\":\"tap\",\"detail\":{}}");
            socket.next("prompt");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("\"no\""));
        }
    }

    @Test
    void theConsentSheetShowsTheDeclaredPurposeAndTheDecisionIsRememberedForTheNextCall() throws Exception {
        try (ShellSocket socket = open(CONSENT)) {
            socket.next("open");
            int locate = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + locate + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode prompt = socket.next("prompt");
            assertThat(prompt.path("kind").asString()).isEqualTo("consent");
            assertThat(prompt.path("scope").asString()).isEqualTo("scope.userLocation");
            assertThat(prompt.path("purpose").asString()).isEqualTo("Show the weather where you are");
            socket.send("{\"t\":\"answer\",\"id\":" + prompt.path("id").asInt() + ",\"allow\":false}");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("tries 1"));
            // The platform's ledger (PostgreSQL) remembers the decision: the second call asks nobody.
            socket.send("{\"t\":\"event\",\"node\":" + locate + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode second = socket.next(f -> f.path("t").asString().matches("prompt|ops"));
            assertThat(second.path("t").asString()).isEqualTo("ops");
            assertThat(second.toString()).contains("tries 2");
        }
        assertThat(jdbc.sql("""
                SELECT count(*) FROM host_consent_events WHERE app_id = :a AND scope = 'scope.userLocation' AND decision = 'denied'
                AND via = 'prompt' AND purpose = 'Show the weather where you are' AND privacy_digest IS NOT NULL""")
                .param("a", CONSENT).query(Long.class).single()).as("the decision, with the purpose shown").isPositive();
    }

    @Test
    void aPreviewSessionSendsTheLogicLayersLogLinesToTheDevPanel() throws Exception {
        try (ShellSocket socket = open(CONSENT)) {
            socket.next("open");
            int locate = ShellSocket.element(socket.next("page").path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + locate + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode log = socket.next(f -> f.path("t").asString().equals("dev") && f.path("kind").asString().equals("log"));
            assertThat(log.path("entry").path("text").asString()).isEqualTo("locating");
        }
    }

    @Test
    void pageStylesheetAndAssetsAreServedToTheSessionsOwnUserOnly() throws Exception {
        try (ShellSocket socket = open(PROMPTS)) {
            String session = socket.next("open").path("session").asString();
            JsonNode page = socket.next("page");
            String logo = ShellSocket.element(page.path("tree"), "img").path("attrs").path("src").asString();
            assertThat(logo).isEqualTo("/shell/s/" + session + "/assets/images/logo.png");

            HttpResponse<String> css = https.get("/shell/s/" + session + "/page.css?route=pages%2Findex%2Findex",
                    ShellTestBeans.USER_HEADER, user);
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
            assertThat(css.body()).contains("url(\"/shell/s/" + session + "/assets/images/logo.png\")");

            HttpResponse<String> image = https.get(logo, ShellTestBeans.USER_HEADER, user);
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(image.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(image.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");

            // Not an image or font of the package, not a page, not this user's session: 404 alike.
            assertThat(https.get("/shell/s/" + session + "/assets/pages/index/index.js", ShellTestBeans.USER_HEADER, user).statusCode())
                    .isEqualTo(404);
            assertThat(https.get("/shell/s/" + session + "/page.css?route=pages%2Fnone", ShellTestBeans.USER_HEADER, user).statusCode())
                    .isEqualTo(404);
            assertThat(https.get(logo, ShellTestBeans.USER_HEADER, user + "-other").statusCode()).isEqualTo(404);
            assertThat(https.get("/shell/s/" + session + "/page.css?route=pages%2Findex%2Findex", ShellTestBeans.USER_HEADER,
                    user + "-other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theAppPageGivesTheShellItsWebSocketPathAndAnUnknownAppIsNotFound() {
        HttpResponse<String> page = https.get("/shell/apps/" + TODO_EXAMPLE, ShellTestBeans.USER_HEADER, user, "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-ws-path=\"/shell/ws/" + TODO_EXAMPLE + "\"").contains("Todo");
        assertThat(https.get("/shell/apps/com.example.absent", ShellTestBeans.USER_HEADER, user, "Accept", "text/html").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aHandshakeFromAnotherOriginOrWithoutOneIsForbiddenAndAudited() {
        for (String origin : new String[] {"https://evil.example", "https://localhost:1", "null"}) {
            assertThatThrownBy(() -> ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE, user, origin))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        }
        assertThatThrownBy(() -> ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE, user, null))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        List<JsonNode> denials = AuditEvents.where(jdbc, e -> e.toString().contains("/shell/ws"));
        assertThat(denials).hasSizeGreaterThanOrEqualTo(4);
        assertThat(hostEvents.of(HostEvent.What.SESSION_OPEN, new ShellUserId(user))).isEmpty();
    }

    @Test
    void aHandshakeWithoutAShellUserNeverOpensASocket() {
        assertThatThrownBy(() -> ShellSocket.connect(tls, ports.https(), "/shell/ws/" + TODO_EXAMPLE, null, ShellSocket.origin(ports.https())))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isIn(401, 403));
    }

    @Test
    void aUserAtTheirSessionLimitIsRefusedTheNextOneWithAClearMessageAndItIsAudited() throws Exception {
        List<ShellSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < HostSettings.SESSIONS_PER_USER_MAX; i++) {
                ShellSocket socket = open(TODO_EXAMPLE);
                sockets.add(socket);
                socket.next("page");
            }
            ShellSocket refused = open(TODO_EXAMPLE);
            sockets.add(refused);
            assertThat(refused.next("ended").path("reason").asString())
                    .isEqualTo("You have " + HostSettings.SESSIONS_PER_USER_MAX + " mini-programs open; close one to open another.");
            assertThat(refused.awaitClose()).isEqualTo(1000);
            assertThat(hostEvents.of(HostEvent.What.SESSION_REFUSE, new ShellUserId(user)))
                    .extracting(e -> e.detail().orElseThrow()).containsExactly("user-limit");
        } finally {
            sockets.forEach(ShellSocket::close);
        }
    }

    @Test
    void anAppNoSourceKnowsIsRefusedAsNotFound() throws Exception {
        try (ShellSocket socket = open("com.example.absent")) {
            assertThat(socket.next("ended").path("reason").asString()).isEqualTo("No mini-program with this id can be opened here.");
            assertThat(hostEvents.of(HostEvent.What.SESSION_REFUSE, new ShellUserId(user)))
                    .extracting(e -> e.detail().orElseThrow()).containsExactly("not-found");
        }
    }

    /** The id of the element whose own text child holds {@code text}. */
    static int elementWithText(JsonNode node, String text) {
        for (JsonNode child : node.path("children")) {
            if (child.has("text") && child.get("text").asString().contains(text)) {
                return node.path("id").asInt();
            }
            int found = elementWithText(child, text);
            if (found > 0) {
                return found;
            }
        }
        return 0;
    }
}
