package dev.capsule.server.host.internal;

import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PayerStepUp;
import dev.capsule.server.payments.PaymentIntentId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host's {@link PayerStepUp}: a payer with a passkey ({@link ShellPasskeys}, registered on {@code /shell/settings})
 * proves presence with it ({@code {"kind": "passkey", "publicKey": PublicKeyCredentialRequestOptionsJSON}}); a demo user
 * without one, with demo users on, with a TOTP-style code ({@link DemoCodeStepUp}); anyone else cannot step up here, so
 * a payment that needs step-up is refused for them (fail closed).
 *
 * <p>Security guarantees: a challenge is a row bound to this payer and this intent ({@code host_payer_step_ups}, V100,
 * valid {@link #CHALLENGE_SECONDS}) that {@link #verify} deletes in the transaction that checks the answer, so it is
 * answered at most once on any node, right or wrong; a passkey challenge is 32 random bytes the assertion must sign; a
 * code challenge accepts only a code.
 */
@Component
class HostPayerStepUp implements PayerStepUp {
    static final Duration CHALLENGE_SECONDS = Duration.ofSeconds(300);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PayerRefs refs;
    private final ShellPasskeys passkeys;
    private final DemoCodeStepUp codes;
    private final Clock clock;

    @Autowired
    HostPayerStepUp(JdbcClient jdbc, TransactionTemplate transactions, PayerRefs refs, ShellPasskeys passkeys, DemoCodeStepUp codes) {
        this(jdbc, transactions, refs, passkeys, codes, Clock.systemUTC());
    }

    HostPayerStepUp(JdbcClient jdbc, TransactionTemplate transactions, PayerRefs refs, ShellPasskeys passkeys, DemoCodeStepUp codes,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.refs = refs;
        this.passkeys = passkeys;
        this.codes = codes;
        this.clock = clock;
    }

    @Override
    public Optional<JsonNode> challenge(PayerId payer, PaymentIntentId intent) {
        byte[] random = ShellPasskeys.random();
        Optional<ObjectNode> passkey = passkeys.requestOptions(payer, random);
        if (passkey.isPresent()) {
            save(payer, intent, random);
            ObjectNode challenge = Wire.object().put("kind", "passkey");
            challenge.set("publicKey", passkey.get());
            return Optional.of(challenge);
        }
        if (codes.available(payer)) {
            save(payer, intent, null);
            return Optional.of(DemoCodeStepUp.challenge());
        }
        return Optional.empty();
    }

    @Override
    public boolean verify(PayerId payer, PaymentIntentId intent, JsonNode answer) {
        String ref = refs.ref(payer);
        return Boolean.TRUE.equals(transactions.execute(status -> {
            // The challenge is used up by this answer whatever it is; one answer per challenge.
            Optional<Optional<byte[]>> issued = jdbc.sql("""
                    DELETE FROM host_payer_step_ups WHERE payer_ref = :payer AND intent_id = :intent AND expires_at > :now RETURNING challenge
                    """).param("payer", ref).param("intent", intent.value()).param("now", clock.instant().atOffset(ZoneOffset.UTC))
                    .query((rs, n) -> Optional.ofNullable(rs.getBytes(1))).optional();
            if (issued.isEmpty()) {
                return false;
            }
            return issued.get().map(challenge -> passkeys.verify(payer, challenge, answer)).orElseGet(() -> codes.verify(payer, answer));
        }));
    }

    private void save(PayerId payer, PaymentIntentId intent, byte[] challenge) {
        String ref = refs.ref(payer);
        Instant now = clock.instant();
        // This payer's expired challenges go first, so the table holds only challenges still answerable.
        jdbc.sql("DELETE FROM host_payer_step_ups WHERE payer_ref = :payer AND expires_at <= :now")
                .param("payer", ref).param("now", now.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("""
                INSERT INTO host_payer_step_ups (payer_ref, intent_id, challenge, expires_at) VALUES (:payer, :intent, :challenge, :expires)
                ON CONFLICT (payer_ref, intent_id) DO UPDATE SET challenge = EXCLUDED.challenge, expires_at = EXCLUDED.expires_at
                """).param("payer", ref).param("intent", intent.value()).param("challenge", challenge == null ? null : Arrays.copyOf(challenge, challenge.length))
                .param("expires", now.plus(CHALLENGE_SECONDS).atOffset(ZoneOffset.UTC)).update();
    }
}
