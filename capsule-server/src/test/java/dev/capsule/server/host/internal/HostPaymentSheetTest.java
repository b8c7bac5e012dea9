package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.TestHttps;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The host's payment sheet in a real hosted session (HTTPS, PostgreSQL, the WebSocket, a mini-program calling
 * {@code wx.requestPayment}), against a <b>test-only {@link PaymentSheets}</b> ({@link Sheets}, {@code @Primary}, only in
 * this test's context) until the payments implementation is merged; it records what the host passed and answers
 * by a fixed script. Shown: a refused {@code prepare} never opens the sheet and the mini-program gets the code; the
 * payer is the session's user with the pairwise id; wallet pays; a card goes through the issuer's challenge; cancel
 * never confirms; the mini-program sees only the outcome.
 */
@CapsuleServerTest
@Import({ShellTestBeans.class, HostPaymentSheetTest.Sheets.class})
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.prompt-seconds=5",
        "capsule.host.sessions-per-node-max=64"})
class HostPaymentSheetTest {
    static final String SHOP = "com.example.shop";
    static final PaymentIntentId INTENT = PaymentIntentId.random();
    static final MerchantId MERCHANT = MerchantId.random();
    static final CardToken TOKEN = CardToken.random();
    private static final AtomicInteger USERS = new AtomicInteger();

    /** A test-only PaymentSheets: paySign "good" is ready, anything else is refused as "signature". */
    @TestConfiguration(proxyBeanMethods = false)
    static class Sheets {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();
        static final List<Payer> PAYERS = new CopyOnWriteArrayList<>();

        @Bean
        @Primary
        PaymentSheets testPaymentSheets() {
            return new PaymentSheets() {
                @Override
                public Prepared prepare(MiniProgramId app, Payer payer, PaymentSheet.Request request) {
                    CALLS.add("prepare " + app.value() + " " + request.packageValue());
                    PAYERS.add(payer);
                    if (!request.paySign().equals("good")) {
                        return new Prepared.Refused(SIGNATURE);
                    }
                    return new Prepared.Ready(new Order(INTENT, MERCHANT, "Fresh Fruit Ltd", "3 apples", 1234, "EUR",
                            List.of(new CardView(TOKEN, "visa", "424242", "4242", YearMonth.of(2030, 12))), Optional.of(50_000L),
                            Optional.empty(), Instant.now().plusSeconds(600)));
                }

                @Override
                public Confirmation confirm(MiniProgramId app, Payer payer, PaymentIntentId intent, MethodChoice method,
                        Optional<JsonNode> stepUp) {
                    CALLS.add("confirm " + intent.value() + " " + switch (method) {
                        case MethodChoice.Wallet wallet -> "wallet";
                        case MethodChoice.Card card -> card.token().value();
                    });
                    return method instanceof MethodChoice.Card
                            ? new Confirmation.ActionRequired(Wire.object().put("kind", "code").put("label", "Code from your bank"))
                            : new Confirmation.Paid();
                }

                @Override
                public Confirmation completeAction(MiniProgramId app, Payer payer, PaymentIntentId intent, JsonNode answer) {
                    CALLS.add("complete " + answer.path("code").asString());
                    return answer.path("code").asString().equals("1234") ? new Confirmation.Paid() : new Confirmation.Refused(DECLINED);
                }
            };
        }
    }

    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired PairwiseIds pairwise;
    @Autowired TestHttps https;
    SSLContext tls;
    String user;

    @BeforeAll
    static void miniProgram() throws Exception {
        ShellTestBeans.fixture(SHOP, Map.of(
                "capsule.json", """
                        {"id": "com.example.shop", "version": "1.0.0", "name": "Shop",
                         "developer": {"id": "example", "name": "Example Ltd"},
                         "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                         "privacy": [], "dependencies": []}""",
                "app.json", """
                        {"pages": ["pages/index/index"]}""",
                "app.js", "App({});\n",
                "pages/index/index.json", "{}",
                "pages/index/index.wxml", """
                        <button id="pay" bindtap="pay">Pay</button><button id="forge" bindtap="forge">Forge</button>
                        <text>result {{result}}</text>""",
                "pages/index/index.js", """
                        Page({
                          data: { result: 'none' },
                          ask(sign) {
                            wx.requestPayment({ timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=prepay_abc',
                              signType: 'ED25519', paySign: sign,
                              success: (r) => this.setData({ result: 'ok ' + JSON.stringify(r) }),
                              fail: (e) => this.setData({ result: 'fail ' + e.errMsg }) });
                          },
                          pay() { this.ask('good'); },
                          forge() { this.ask('forged'); }
                        });
                        """));
    }

    @BeforeEach
    void setUp() {
        tls = TestHttps.trusting(certificate.certificatePem());
        user = "payer-" + USERS.incrementAndGet() + "-" + System.nanoTime();
        Sheets.CALLS.clear();
        Sheets.PAYERS.clear();
    }

    ShellSocket open() {
        return ShellSocket.connect(tls, ports.https(), "/shell/ws/" + SHOP, user, ShellSocket.origin(ports.https()));
    }

    static int button(JsonNode page, String id) {
        for (JsonNode child : page.path("tree").path("children")) {
            if (id.equals(child.path("attrs").path("id").asString(""))) {
                return child.path("id").asInt();
            }
        }
        throw new AssertionError("no button " + id + " in " + page);
    }

    static JsonNode result(ShellSocket socket, String text) throws InterruptedException {
        return socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains(text));
    }

    @Test
    void aRefusedPrepareNeverOpensTheSheetAndTheMiniProgramGetsTheCode() throws Exception {
        try (ShellSocket socket = open()) {
            socket.next("open");
            JsonNode page = socket.next("page");
            socket.send("{\"t\":\"event\",\"node\":" + button(page, "forge") + ",\"type\":\"tap\",\"detail\":{}}");
            // A sheet would be a prompt frame sent before the outcome, on the session's one outbound thread.
            JsonNode first = socket.next(f -> List.of("prompt", "paymentResult").contains(f.path("t").asString()));
            assertThat(first.path("t").asString()).as("no sheet").isEqualTo("paymentResult");
            assertThat(first.path("outcome").asString()).isEqualTo("signature");
            result(socket, "fail requestPayment:fail signature");
            assertThat(Sheets.CALLS).containsExactly("prepare " + SHOP + " prepay_id=prepay_abc");
        }
    }

    @Test
    void theSheetShowsThePreparedOrderAndTheWalletPaysForTheSessionsUser() throws Exception {
        try (ShellSocket socket = open()) {
            socket.next("open");
            JsonNode page = socket.next("page");
            socket.send("{\"t\":\"event\",\"node\":" + button(page, "pay") + ",\"type\":\"tap\",\"detail\":{}}");
            JsonNode sheet = socket.next("prompt");
            assertThat(sheet.path("kind").asString()).isEqualTo("payment");
            assertThat(sheet.path("merchant").path("name").asString()).isEqualTo("Fresh Fruit Ltd");
            assertThat(sheet.path("amount").path("decimal").asString()).isEqualTo("12.34");
            assertThat(sheet.path("cards").get(0).path("last4").asString()).isEqualTo("4242");
            assertThat(sheet.path("wallet").path("decimal").asString()).isEqualTo("500.00");
            Payer payer = Sheets.PAYERS.getFirst();
            assertThat(payer.id().value()).as("the session's user").isEqualTo(user);
            assertThat(payer.appUserId()).as("the pairwise id the mini-program knows")
                    .isEqualTo(pairwise.runtimeUserId(MiniProgramId.of(SHOP), new ShellUserId(user)));
            int id = sheet.path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"payment\":{\"method\":\"4242424242424242\"}}");
            assertThat(socket.next("refused").path("message").asString()).contains("does not fit");
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"payment\":{\"method\":\"wallet\"}}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("paid");
            result(socket, "ok {");
            assertThat(Sheets.CALLS).containsExactly("prepare " + SHOP + " prepay_id=prepay_abc", "confirm " + INTENT.value() + " wallet");
        }
    }

    @Test
    void aCardPaysThroughTheIssuersChallengeAndCancelNeverConfirms() throws Exception {
        try (ShellSocket socket = open()) {
            socket.next("open");
            JsonNode page = socket.next("page");
            int pay = button(page, "pay");
            socket.send("{\"t\":\"event\",\"node\":" + pay + ",\"type\":\"tap\",\"detail\":{}}");
            int id = socket.next("prompt").path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + id + ",\"payment\":{\"method\":\"" + TOKEN.value() + "\"}}");
            JsonNode challenge = socket.next("prompt");
            assertThat(challenge.path("kind").asString()).isEqualTo("paymentChallenge");
            assertThat(challenge.path("challenge").path("label").asString()).isEqualTo("Code from your bank");
            socket.send("{\"t\":\"answer\",\"id\":" + challenge.path("id").asInt() + ",\"challenge\":{\"code\":\"1234\"}}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("paid");
            result(socket, "ok {");
            assertThat(Sheets.CALLS).endsWith("confirm " + INTENT.value() + " " + TOKEN.value(), "complete 1234");

            Sheets.CALLS.clear();
            socket.send("{\"t\":\"event\",\"node\":" + pay + ",\"type\":\"tap\",\"detail\":{}}");
            int again = socket.next("prompt").path("id").asInt();
            socket.send("{\"t\":\"answer\",\"id\":" + again + ",\"payment\":false}");
            assertThat(socket.next("paymentResult").path("outcome").asString()).isEqualTo("cancel");
            result(socket, "fail requestPayment:fail cancel");
            assertThat(Sheets.CALLS).containsExactly("prepare " + SHOP + " prepay_id=prepay_abc");
        }
    }
}
