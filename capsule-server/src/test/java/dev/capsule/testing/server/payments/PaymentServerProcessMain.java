package dev.capsule.testing.server.payments;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.intents.PaymentIntent;
import dev.capsule.server.payments.internal.intents.PaymentIntents;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.ServerProcessMain;
import dev.capsule.testing.server.TestMerchants;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link ServerProcessMain} plus, on the first start only, a payment fixture file ({@value #PAYMENTS_PROPERTY}) for a
 * payment load from another process: one merchant of one mini-program with an Ed25519 key (its private key in the file),
 * {@value #PAYERS} payers whose wallets are credited through the wallet service, and {@code capsule.test.intents}
 * wallet intents (default {@value #INTENTS_DEFAULT}), each created for a payer and bound to them by opening the payment
 * sheet with a valid {@code paySign} — what a payer's {@code wx.requestPayment} does before the merchant may confirm
 * off-session. Everything goes through the payments services; nothing is written around them except the merchant rows
 * ({@link TestMerchants}, as registration stores them).
 */
public final class PaymentServerProcessMain {
    public static final String PAYMENTS_PROPERTY = "capsule.test.payment-fixtures";
    public static final String INTENTS_PROPERTY = "capsule.test.intents";
    public static final int INTENTS_DEFAULT = 120;
    public static final int INTENTS_MAX = 100_000;
    public static final int PAYERS = 4;
    public static final String CURRENCY = "CNY";
    /** Each wallet holds more than all of its intents together: a confirmation never fails for money. */
    public static final long CREDIT_PER_PAYER = 1_000_000_000L;

    private PaymentServerProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = ServerProcessMain.start(args);
        Path file = Path.of(System.getProperty(PAYMENTS_PROPERTY));
        if (Files.exists(file)) {
            return;
        }
        int count = Integer.getInteger(INTENTS_PROPERTY, INTENTS_DEFAULT);
        if (count < 1 || count > INTENTS_MAX) {
            throw new IllegalArgumentException(INTENTS_PROPERTY + " is 1 to " + INTENTS_MAX);
        }
        Properties fixture = write(context, count);
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            fixture.store(out, "payment fixture of a server process");
        }
        Files.move(partial, file);
    }

    private static Properties write(ConfigurableApplicationContext context, int count) {
        PaymentIntents intents = context.getBean(PaymentIntents.class);
        PaymentSheets sheets = context.getBean(PaymentSheets.class);
        MiniProgramId app = MiniProgramId.of("com.example.load" + Long.toString(System.nanoTime() & 0xffffff, 36));
        TestMerchants.TestMerchant merchant = TestMerchants.create(context.getBean(JdbcClient.class), context.getBean(FieldEncryption.class),
                "Load Shop", app);
        Properties fixture = new Properties();
        fixture.setProperty("merchant", merchant.id().value());
        fixture.setProperty("keyId", merchant.ed25519Key().value());
        fixture.setProperty("keySeed", Base64.getEncoder().encodeToString(merchant.ed25519Private()));
        fixture.setProperty("app", app.value());
        fixture.setProperty("currency", CURRENCY);
        List<Payer> payers = new ArrayList<>();
        for (int p = 0; p < PAYERS; p++) {
            Payer payer = new Payer(new PayerId("load-user-" + p + "-" + app.value()), "pw-load-" + p);
            intents.credit(payer.id(), CREDIT_PER_PAYER, CURRENCY, "operator:load-fixture");
            payers.add(payer);
            fixture.setProperty("payer." + p, payer.id().value() + " " + CREDIT_PER_PAYER);
        }
        for (int i = 0; i < count; i++) {
            Payer payer = payers.get(i % PAYERS);
            long amount = 100 + i % 900;
            PaymentIntent intent = intents.create(merchant.id(), new PaymentIntents.NewIntent(amount, CURRENCY, app, "Load order " + i,
                    Optional.of(payer.appUserId()), PaymentIntent.CaptureMethod.AUTOMATIC, Optional.of("wallet"), Map.of(),
                    Duration.ofHours(1)));
            PaymentSheets.Prepared prepared = sheets.prepare(app, payer, paySigned(merchant.ed25519Private(), app, intent));
            if (!(prepared instanceof PaymentSheets.Prepared.Ready)) {
                throw new IllegalStateException("the sheet did not open for " + intent.id() + ": " + prepared);
            }
            fixture.setProperty("intent." + i, intent.id().value() + " " + payer.id().value() + " " + amount);
        }
        fixture.setProperty("intents", Integer.toString(count));
        return fixture;
    }

    /** The mini-program's {@code wx.requestPayment} request, signed as the merchant's backend signs it (docs/payments.md). */
    private static PaymentSheet.Request paySigned(byte[] seed, MiniProgramId app, PaymentIntent intent) {
        String timeStamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "n" + Long.toString(System.nanoTime(), 36);
        String pkg = "prepay_id=" + intent.prepay().value();
        byte[] message = (app.value() + "\n" + timeStamp + "\n" + nonce + "\n" + pkg + "\n").getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        signer.update(message, 0, message.length);
        return new PaymentSheet.Request(timeStamp, nonce, pkg, "ED25519", Base64.getEncoder().encodeToString(signer.generateSignature()));
    }
}
