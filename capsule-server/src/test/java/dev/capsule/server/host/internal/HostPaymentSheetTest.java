package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentCards;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host's payment sheet in a real hosted session (HTTPS, PostgreSQL, the WebSocket, a mini-program calling
 * {@code wx.requestPayment}) against the real payments module: a merchant ({@link TestMerchants}) bound to the
 * mini-program creates intents through its API and signs paySign; the real {@code PaymentSheets} prepares, confirms
 * and completes the issuer's challenge, the vault keeps the cards, the test acquirer decides by card number and the
 * wallet is the ledger's. Shown: a refused {@code prepare} never opens the sheet and the mini-program gets the code;
 * the payer is the session's user with the pairwise id the mini-program knows (an intent for another pairwise id is
 * not this user's); the wallet pays; a card number as the method is refused by the wire; a card goes through the
 * issuer's challenge; cancel never confirms; the mini-program sees only {@code ok} or {@code fail <code>}.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.prompt-seconds=5",
        "capsule.host.sessions-per-node-max=64"})
class HostPaymentSheetTest {
    /** The test acquirer's card whose issuer asks for a code at each payment, and that code (docs/payments.md, "Test cards"). */
    static final String CHALLENGE_CARD = "4000000000003220";
    static final String CHALLENGE_CODE = "123456";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired PairwiseIds pairwise;
    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;
    @Autowired PaymentCards cards;
    SSLContext tls;
    String user;
    MiniProgramId app;
    TestMerchant merchant;

    @BeforeEach
    void setUp() {
        tls = TestHttps.trusting(certificate.certificatePem());
        user = "payer-" + UUID.randomUUID();
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            letters.append((char) ('a' + RANDOM.nextInt(26)));
        }
        app = MiniProgramId.of("com.example.shop" + letters);
        merchant = TestMerchants.create(jdbc, encryption, "Fresh Fruit Ltd", app);
    }

    @Test
    void aRefusedPrepareNeverOpensTheSheetAndTheMiniProgramGetsTheCode() throws Exception {
        JsonNode intent = created(1234, Optional.empty());
        int refusals = refusals();
        ObjectNode orders = Wire.object();
        orders.set("forged", Wire.JSON.valueToTree(merchant.requestPayment("com.example.other", prepayId(intent))));
        try (ShellSocket socket = open(orders)) {
            socket.send(tap(socket.next("page"), "forged"));
            // A sheet would be a prompt frame sent before the outcome, on the session's one outbound thread.
            JsonNode first = socket.next(f -> List.of("prompt", "paymentResult").contains(f.path("t").asString()));
            assertThat(first.path("t").asString()).as("no sheet").isEqualTo("paymentResult");
            assertThat(first.path("outcome").asString()).isEqualTo("signature");
            assertThat(result(socket, "fail")).isEqualTo("result fail forged {\"errMsg\":\"requestPayment:fail signature\"}");
        }
        assertThat(status(intent)).isEqualTo("requires_payment_method");
        assertThat(refusals()).as("the refusal is audited").isEqualTo(refusals + 1);
    }

    @Test
    void theSheetShowsThePreparedOrderAndTheWalletPaysForTheSessionsUser() throws Exception {
        String pairwiseId = pairwise.runtimeUserId(app, new ShellUserId(user));
        JsonNode intent = created(1234, Optional.of(pairwiseId));
        JsonNode someoneElses = created(1234, Optional.of(pairwise.runtimeUserId(app, new ShellUserId("someone-else"))));
        CardToken saved = cards.add(new PayerId(user), merchant.id(), new CardDetails(CardNumber.parse("4242424242424242"),
                YearMonth.now().plusYears(2), "Ada Lovelace", Optional.of(CardCode.parse("123")))).token();
        assertThat(credit(50_000).statusCode()).isEqualTo(201);
        ObjectNode orders = Wire.object();
        orders.set("theirs", order(someoneElses));
        orders.set("mine", order(intent));
        try (ShellSocket socket = open(orders)) {
            JsonNode page = socket.next("page");
            // The merchant named another user's pairwise id: not this payer's intent, no sheet.
            socket.send(tap(page, "theirs"));
            JsonNode refused = socket.next(f -> List.of("prompt", "paymentResult").contains(f.path("t").asString()));
            assertThat(refused.path("t").asString()).as("no sheet").isEqualTo("paymentResult");
            assertThat(refused.path("outcome").asString()).isEqualTo("not-found");
            assertThat(result(socket, "fail")).isEqualTo("result fail theirs {\"errMsg\":\"requestPayment:fail not-found\"}");

            socket.send(tap(page, "mine"));
            JsonNode sheet = socket.next("prompt");
            assertThat(sheet.path("kind").asString()).isEqualTo("payment");
            assertThat(sheet.path("merchant").path("name").asString()).isEqualTo("Fresh Fruit Ltd");
            assertThat(sheet.path("amount").path("decimal").asString()).isEqualTo("12.34");
            assertThat(sheet.path("cards")).singleElement().satisfies(card -> {
                assertThat(card.path("token").asString()).isEqualTo(saved.value());
                assertThat(card.path("last4").asString()).isEqualTo("4242");
            });
            assertThat(sheet.path("wallet").path("decimal").asString()).as("the session user's wallet").isEqualTo("500.00");
            assertThat(jdbc.sql("SELECT payer_id FROM payments_intent WHERE intent_id = :id").param("id", id(intent))
                    .query(String.class).single()).as("the intent is bound to the session's user").isEqualTo(user);
            int prompt = sheet.path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + prompt + ",\"payment\":{\"method\":\"4242424242424242\"}}");
            assertThat(socket.next("refused").path("message").asString()).contains("does not fit");
            socket.send("{\"t\":\"answer\",\"id\":" + prompt + ",\"payment\":{\"method\":\"wallet\"}}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("paid");
            assertThat(result(socket, "ok")).isEqualTo("result ok mine {\"errMsg\":\"requestPayment:ok\"}");
        }
        assertThat(status(intent)).isEqualTo("succeeded");
        assertThat(status(someoneElses)).isEqualTo("requires_payment_method");
        assertThat(jdbc.sql("SELECT count(*) FROM payments_intent WHERE intent_id = :id AND payer_id IS NULL").param("id", id(someoneElses))
                .query(Integer.class).single()).as("never bound to this user").isEqualTo(1);
    }

    @Test
    void aCardPaysThroughTheIssuersChallengeAndCancelNeverConfirms() throws Exception {
        JsonNode challenged = created(700, Optional.empty());
        JsonNode cancelled = created(800, Optional.empty());
        CardToken card = cards.add(new PayerId(user), merchant.id(), new CardDetails(CardNumber.parse(CHALLENGE_CARD),
                YearMonth.now().plusYears(2), "Ada Lovelace", Optional.of(CardCode.parse("123")))).token();
        ObjectNode orders = Wire.object();
        orders.set("challenged", order(challenged));
        orders.set("cancelled", order(cancelled));
        try (ShellSocket socket = open(orders)) {
            JsonNode page = socket.next("page");
            socket.send(tap(page, "challenged"));
            int id = socket.next("prompt").path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"payment\":{\"method\":\"" + card.value() + "\"}}");
            JsonNode challenge = socket.next("prompt");
            assertThat(challenge.path("kind").asString()).isEqualTo("paymentChallenge");
            assertThat(challenge.path("challenge").path("kind").asString()).as("a question the sheet answers").isEqualTo("code");
            assertThat(challenge.path("challenge").path("label").asString()).isEqualTo("Enter the code your card issuer sent you");
            assertThat(status(challenged)).isEqualTo("requires_action");
            socket.send("{\"t\":\"answer\",\"id\":" + challenge.path("id").asInt() + ",\"challenge\":{\"code\":\"" + CHALLENGE_CODE + "\"}}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("paid");
            assertThat(result(socket, "ok")).isEqualTo("result ok challenged {\"errMsg\":\"requestPayment:ok\"}");
            assertThat(status(challenged)).isEqualTo("succeeded");

            socket.send(tap(page, "cancelled"));
            int again = socket.next("prompt").path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + again + ",\"payment\":false}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("cancel");
            assertThat(result(socket, "fail")).isEqualTo("result fail cancelled {\"errMsg\":\"requestPayment:fail cancel\"}");
        }
        assertThat(status(cancelled)).isEqualTo("requires_payment_method");
        assertThat(jdbc.sql("SELECT count(*) FROM payments_intent_transition WHERE intent_id = :id").param("id", id(cancelled))
                .query(Integer.class).single()).as("never confirmed").isZero();
    }

    /** The session of {@link #user} on the payment fixture with {@code orders} written in; its {@code open} frame read. */
    private ShellSocket open(ObjectNode orders) throws Exception {
        ShellTestBeans.fixture(app.value(), pages(orders.toString()));
        ShellSocket socket = ShellSocket.connect(tls, ports.https(), "/shell/ws/" + app.value(), user, ShellSocket.origin(ports.https()));
        socket.next("open");
        return socket;
    }

    private Map<String, String> pages(String orders) {
        Map<String, String> files = new LinkedHashMap<>(ShellTestBeans.payPages(orders));
        files.put("capsule.json", """
                {"id": "%s", "version": "1.0.0", "name": "Shop",
                 "developer": {"id": "example", "name": "Example Ltd"},
                 "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                 "privacy": [], "dependencies": []}""".formatted(app.value()));
        files.put("app.json", "{\"pages\": [\"pages/index/index\"]}");
        files.put("app.js", "App({});\n");
        return files;
    }

    /** A tap on the fixture's "Pay {@code name}" button of {@code page}. */
    private static String tap(JsonNode page, String name) {
        int node = button(page.path("tree"), "Pay " + name).orElseThrow(() -> new AssertionError("no element reads Pay " + name));
        return "{\"t\":\"event\",\"node\":" + node + ",\"type\":\"tap\",\"detail\":{}}";
    }

    /** The id of the element under {@code node} whose text child reads {@code text}. */
    private static Optional<Integer> button(JsonNode node, String text) {
        for (JsonNode child : node.path("children")) {
            if (text.equals(child.path("text").asString("").strip())) {
                return Optional.of(node.path("id").asInt());
            }
            Optional<Integer> below = button(child, text);
            if (below.isPresent()) {
                return below;
            }
        }
        return Optional.empty();
    }

    /** The fixture's result text once it starts with "result {@code outcome}" (the ops frame that set it). */
    private static String result(ShellSocket socket, String outcome) throws InterruptedException {
        JsonNode ops = socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("result " + outcome));
        for (JsonNode op : ops.path("ops")) {
            if (op.path("text").asString("").startsWith("result " + outcome)) {
                return op.path("text").asString();
            }
        }
        throw new AssertionError("no result text in " + ops);
    }

    private JsonNode order(JsonNode intent) {
        return Wire.JSON.valueToTree(merchant.requestPayment(app.value(), prepayId(intent)));
    }

    private static String prepayId(JsonNode intent) {
        return intent.get("prepayId").asString();
    }

    private static String id(JsonNode intent) {
        return intent.get("id").asString();
    }

    /** The merchant's backend creates an intent for {@code amount} EUR cents, naming the payer's pairwise id or not. */
    private JsonNode created(long amount, Optional<String> payer) {
        String body = "{\"amount\":" + amount + ",\"currency\":\"EUR\",\"appId\":\"" + app.value() + "\",\"description\":\"3 apples\""
                + payer.map(p -> ",\"payer\":\"" + p + "\"").orElse("") + "}";
        HttpResponse<String> response = https.send(https.request("/merchant/v1/payment-intents").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header(TestAuthentication.MERCHANT_HEADER, merchant.testHeader()).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttps.json(response);
    }

    private String status(JsonNode intent) {
        return TestHttps.json(https.get("/merchant/v1/payment-intents/" + id(intent), TestAuthentication.MERCHANT_HEADER,
                merchant.testHeader())).get("status").asString();
    }

    /** The super-app's backend credits the session user's wallet (EUR cents). */
    private HttpResponse<String> credit(long amount) {
        return https.send(https.request("/api/v1/wallet-credits")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"amount\":" + amount + ",\"currency\":\"EUR\"}"))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header(TestAuthentication.USER_HEADER, "funder")
                .header(TestAuthentication.ROLES_HEADER, Role.PLATFORM_ADMIN.name()).build());
    }

    private int refusals() {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("payment-sheet.refuse")).size();
    }
}
