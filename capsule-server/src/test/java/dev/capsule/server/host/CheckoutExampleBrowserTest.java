package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.host.internal.ShellTestBeans;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.ExampleRun;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * README.md's "Take a payment" as a newcomer does it, against the real server (HTTPS, PostgreSQL, registry, releases,
 * host, payments with its vault, test acquirer and ledger; the context and settings of
 * {@code ShellPaymentEndToEndBrowserTest}): examples/checkout is packed from its directory (core's {@code Packer}, as
 * {@code capsule pack}), signed, uploaded and approved with the {@code financial} preset; the merchant's backend is
 * examples/merchant run as separate processes (Node and Java, as the README and docs/payments.md run them) — it
 * creates the intent with a signed request and prints wx.requestPayment's parameters ({@code pay-sign}); in Chromium
 * the user pastes that line into the checkout's textarea, taps Pay, adds the test card in the host's sheet and pays;
 * the page shows {@code ok} and the merchant reads {@code succeeded}. Released with the {@code utility} preset instead,
 * the same page says {@code fail unavailable} and no sheet opens. Without Node or Java's source launcher the
 * test fails; it never skips.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.sessions-per-node-max=64"})
class CheckoutExampleBrowserTest {
    static final String ROUTE = "pages/index/index";
    private static final Path EXAMPLES = Path.of(System.getProperty("capsule.repo.root", "..")).resolve("examples");

    @Autowired TestHttps https;
    @Autowired ApplicationContext spring;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption fieldEncryption;
    @Autowired ServerCertificate certificate;
    @Autowired PaymentSheets sheets;
    @Autowired Ledger ledger;

    @Test
    void aUserPastesTheMerchantsOrderIntoTheCheckoutExamplePaysByCardAndTheMerchantReadsSucceeded() throws Exception {
        TestMerchant[] merchant = new TestMerchant[1];
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer developer = shell.released("checkout", "financial", appId -> {
                merchant[0] = TestMerchants.create(jdbc, fieldEncryption, "Fresh Fruit Ltd", new MiniProgramId(appId));
                return Map.of(); // examples/checkout exactly as it is, under the organisation's app id
            });
            // The same example released with a profile without the payment group: wx.requestPayment is absent there.
            String utility = shell.released("checkout", "utility", appId -> Map.of()).appId();
            String appId = developer.appId();
            Path key = ed25519Pem(merchant[0]);
            JsonNode intent = created(node(), merchant[0].ed25519Key().value(), key, appId);
            String order = run(node(), "pay-sign", appId, intent.get("prepayId").asString(), key.toString()).output();

            shell.enter("checkout-" + System.nanoTime());
            shell.open(appId, ROUTE);
            shell.waitForGuestText("Order from the merchant");

            // Not an order: the page says so and never calls wx.requestPayment (no sheet).
            paste(shell, "pay me");
            shell.click(shell.guestRect("#pay"));
            shell.waitFor("window.__shadow.querySelector('#result') && window.__shadow.querySelector('#result').textContent"
                    + " === 'invalid order: not JSON: paste the one line the merchant printed'");
            assertThat(shell.page.querySelector(".capsule-sheet-payment")).as("no sheet for a malformed order").isNull();

            paste(shell, order);
            shell.click(shell.guestRect("#pay"));
            shell.page.waitForSelector(".capsule-sheet-payment");
            assertThat(shell.page.textContent(".capsule-sheet-payment .capsule-sheet-title")).isEqualTo("Pay Fresh Fruit Ltd");
            assertThat(shell.page.textContent(".capsule-payment-amount")).isEqualTo("€12.34");
            assertThat(shell.page.textContent(".capsule-payment-description")).isEqualTo("3 apples");
            shell.page.click(".capsule-payment-add-card");
            shell.page.fill(".capsule-card-number", ShellPaymentEndToEndBrowserTest.NEW_CARD);
            shell.page.fill(".capsule-card-expiry", "12/34");
            shell.page.fill(".capsule-card-code", "123");
            shell.page.fill(".capsule-card-name", "Ada Lovelace");
            shell.screenshot("checkout-sheet.png");
            shell.page.click(".capsule-card-save");
            shell.page.waitForFunction("() => document.querySelector(\".capsule-payment-card[aria-checked='true']\")"
                    + " || document.querySelector('.capsule-payment-error').textContent !== ''");
            assertThat(shell.page.textContent(".capsule-payment-error")).as("the card endpoint's answer").isEmpty();
            shell.page.click(".capsule-pay");
            shell.waitFor("window.__shadow.querySelector('#result').textContent === 'ok'");
            shell.page.waitForSelector(".capsule-payment-result >> text=Paid");
            shell.screenshot("checkout-paid.png");

            // The merchant learns the outcome from the platform (the Node example's GET), never from the page.
            ExampleRun read = run(node(), "GET", https.uri("/merchant/v1/payment-intents/" + intent.get("id").asString()).toString(),
                    merchant[0].ed25519Key().value(), key.toString());
            assertThat(read.exit()).as(read.output()).isZero();
            JsonNode paid = ShellBrowser.JSON.readTree(read.output().substring(read.output().indexOf('\n') + 1));
            assertThat(paid.get("status").asString()).isEqualTo("succeeded");
            assertThat(paid.get("amountReceived").asLong()).isEqualTo(1234);
            assertThat(ledger.verify().problems()).as("the ledger verifies").isEmpty();

            shell.page.navigate(https.uri("/shell/wallet").toString());
            assertThat(shell.page.textContent("main")).contains("Fresh Fruit Ltd").contains("4242");
            shell.screenshot("shell-wallet.png");

            // Released as `utility`, the page never calls the absent API and says why, with the same order pasted.
            shell.page.navigate(https.uri("/shell").toString());
            shell.open(utility, ROUTE);
            shell.waitForGuestText("Order from the merchant");
            paste(shell, order);
            shell.click(shell.guestRect("#pay"));
            shell.waitFor("window.__shadow.querySelector('#result') && window.__shadow.querySelector('#result').textContent"
                    + " === 'fail unavailable: payments are not granted to this mini-program here'");
            assertThat(shell.page.querySelector(".capsule-sheet-payment")).as("no sheet without the payment API").isNull();
            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    /**
     * Both merchant examples' {@code pay-sign}, with an Ed25519 key and with an HMAC secret, print what the platform's
     * sheet accepts for this app; the same line made for another app id is refused as {@code signature}.
     */
    @Test
    void bothMerchantExamplesPaySignWithEitherKeyAndThePlatformAcceptsItOnlyForTheAppItNames() throws Exception {
        MiniProgramId app = new MiniProgramId("com.example.paysign" + System.nanoTime());
        TestMerchant merchant = TestMerchants.create(jdbc, fieldEncryption, "Pay Sign Shop", app);
        Path ed25519 = ed25519Pem(merchant);
        Path hmac = write("hmac.secret", Base64.getEncoder().encodeToString(merchant.hmacSecret()));
        for (List<String> client : List.of(node(), java())) {
            for (Path key : List.of(ed25519, hmac)) {
                String keyId = (key == ed25519 ? merchant.ed25519Key() : merchant.hmacKey()).value();
                String prepay = created(node(), keyId, key, app.value()).get("prepayId").asString();
                String what = client.getFirst() + " with " + key.getFileName();

                JsonNode forOther = order(run(client, "pay-sign", "com.example.other", prepay, key.toString()));
                assertThat(sheets.prepare(app, payer(), request(forOther))).as(what + ", signed for another app")
                        .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));

                JsonNode order = order(run(client, "pay-sign", app.value(), prepay, key.toString()));
                assertThat(order.get("package").asString()).isEqualTo("prepay_id=" + prepay);
                assertThat(order.get("signType").asString()).isEqualTo(key == ed25519 ? "ED25519" : "HMAC-SHA256");
                assertThat(sheets.prepare(app, payer(), request(order))).as(what).isInstanceOf(PaymentSheets.Prepared.Ready.class);
            }
        }
        ExampleRun notAPrepayId = run(node(), "pay-sign", app.value(), "prepay\"x", ed25519.toString());
        assertThat(notAPrepayId.exit()).as(notAPrepayId.output()).isEqualTo(2);
        assertThat(notAPrepayId.output()).contains("PREPAY_ID must be");
    }

    /**
     * README's step 1 makes the release script from docs/registry.md's walk-through block with sed: run exactly those
     * README lines, and the script is steps 1-8 for examples/checkout with the financial preset, keeping admin's secret.
     */
    @Test
    void theReadmesReleaseStepTurnsTheRegistryWalkthroughIntoTheCheckoutsRelease() throws Exception {
        Path root = EXAMPLES.getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Take a payment"));
        String sed = section.substring(section.indexOf("sed -n"), section.indexOf("> release-checkout.sh"));
        Path script = TestDirectories.create("readme-release").resolve("release-checkout.sh");
        ExampleRun made = runIn(root, List.of("bash", "-c", sed + "> \"$1\"", "bash", script.toString()));
        assertThat(made.exit()).as(made.output()).isZero();

        String release = Files.readString(script);
        assertThat(release).startsWith("totp() {")
                .contains("capsule pack examples/checkout --out checkout.capsule", "\"appId\": \"com.example.checkout\"",
                        "capsule submit checkout.capsule", "\"preset\": \"financial\"",
                        "onboard admin \"$ADMIN_OTP\" \"orbit lantern walnut 7\"; ADMIN_SECRET=$SECRET ADMIN_STEP=$(( $(date +%s) / 30 ))")
                .doesNotContain("todo", "utility", "# 9.", "releases verify", "capsule run");
    }

    /** The merchant's backend creates the README's intent with the Node example's signed POST. */
    private JsonNode created(List<String> client, String keyId, Path key, String appId) throws Exception {
        ExampleRun run = run(client, "POST", https.uri("/merchant/v1/payment-intents").toString(), keyId, key.toString(),
                "{\"amount\": 1234, \"currency\": \"EUR\", \"appId\": \"" + appId + "\", \"description\": \"3 apples\"}");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("201");
        return ShellBrowser.JSON.readTree(run.output().substring(run.output().indexOf('\n') + 1));
    }

    private static JsonNode order(ExampleRun run) {
        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode order = ShellBrowser.JSON.readTree(run.output());
        assertThat(order.propertyNames()).containsExactly("timeStamp", "nonceStr", "package", "signType", "paySign");
        return order;
    }

    private static PaymentSheet.Request request(JsonNode order) {
        return new PaymentSheet.Request(order.get("timeStamp").asString(), order.get("nonceStr").asString(),
                order.get("package").asString(), order.get("signType").asString(), order.get("paySign").asString());
    }

    private static Payer payer() {
        String id = "paysign-" + System.nanoTime();
        return new Payer(new PayerId(id), "pw-" + id);
    }

    /** Selects what the textarea holds and pastes {@code text} over it, as a user does. */
    private static void paste(ReleasedShell shell, String text) {
        shell.click(shell.guestRect("#order"));
        shell.page.keyboard().press("ControlOrMeta+A");
        shell.page.keyboard().insertText(text);
        shell.page.waitForTimeout(150);
    }

    private static List<String> node() {
        return List.of("node", EXAMPLES.resolve("merchant/merchant-client.mjs").toString());
    }

    private static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                EXAMPLES.resolve("merchant/MerchantClient.java").toString());
    }

    private static Path ed25519Pem(TestMerchant merchant) throws Exception {
        return write("ed25519.pem", SigningKey.fromSeed(merchant.ed25519Private()).toPem(SecretAccess.grant()));
    }

    private static Path write(String name, String text) throws Exception {
        Path file = TestDirectories.create("checkout-keys").resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private ExampleRun run(List<String> command, String... args) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        return runIn(null, full);
    }

    private ExampleRun runIn(Path directory, List<String> full) throws Exception {
        return ExampleRun.run(directory, full, certificate.certificatePem());
    }
}
