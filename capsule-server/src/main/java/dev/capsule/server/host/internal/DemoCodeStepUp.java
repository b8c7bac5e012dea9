package dev.capsule.server.host.internal;

import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.auth.totp.TotpVerifier;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PayerStepUp;
import dev.capsule.server.payments.PaymentIntentId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The host's {@link PayerStepUp}: with demo users on ({@code capsule serve --dev}), a demo user proves presence with
 * a TOTP-style 6-digit code (RFC 6238, core's {@code dev.capsule.core.auth.totp}, the operators' one implementation)
 * whose secret the demo page shows. Every other payer has no step-up method here, so a payment that needs step-up is
 * refused for them (fail closed): passkeys for shell users are not built yet (docs/payments.md says so).
 *
 * <p>Security guarantees: a challenge is a row bound to this payer and this intent ({@code host_payer_step_ups}, V100)
 * that {@link #verify} deletes in the same transaction that checks the code, so it is answered at most once on any
 * node; a code is accepted once (its time step is remembered per payer, {@code host_payer_code_steps}); the secret is
 * derived under the platform's {@code pseudonyms} key from the demo user's id and never stored; nothing is accepted
 * while demo users are off or for a payer who is not a demo user.
 */
@Component
class DemoCodeStepUp implements PayerStepUp {
    /** How long a challenge may be answered. */
    static final Duration CHALLENGE_SECONDS = Duration.ofSeconds(300);
    static final TotpParameters PARAMETERS = TotpParameters.OPERATOR;
    private static final String LABEL = "capsule.host.demo-step-up/1";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PayerRefs refs;
    private final HostSettings settings;
    private final Clock clock;

    @Autowired
    DemoCodeStepUp(JdbcClient jdbc, TransactionTemplate transactions, PayerRefs refs, HostSettings settings) {
        this(jdbc, transactions, refs, settings, Clock.systemUTC());
    }

    DemoCodeStepUp(JdbcClient jdbc, TransactionTemplate transactions, PayerRefs refs, HostSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.refs = refs;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Optional<JsonNode> challenge(PayerId payer, PaymentIntentId intent) {
        if (!isDemo(payer)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant expires = now.plus(CHALLENGE_SECONDS);
        // This payer's expired challenges go first, so the table stays bounded by the challenges still answerable.
        jdbc.sql("DELETE FROM host_payer_step_ups WHERE payer_ref = :payer AND expires_at <= :now")
                .param("payer", refs.ref(payer)).param("now", now.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("""
                INSERT INTO host_payer_step_ups (payer_ref, intent_id, expires_at) VALUES (:payer, :intent, :expires)
                ON CONFLICT (payer_ref, intent_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
                """).param("payer", refs.ref(payer)).param("intent", intent.value())
                .param("expires", expires.atOffset(ZoneOffset.UTC)).update();
        return Optional.of(Wire.object().put("kind", "code").put("digits", PARAMETERS.digits())
                .put("label", "Enter the " + PARAMETERS.digits() + "-digit code of your demo authenticator (shown on the demo page)"));
    }

    @Override
    public boolean verify(PayerId payer, PaymentIntentId intent, JsonNode answer) {
        if (!isDemo(payer) || answer == null || !answer.isObject() || answer.size() != 1 || !answer.path("code").isString()) {
            return false;
        }
        String ref = refs.ref(payer);
        Boolean verified = transactions.execute(status -> {
            int used = jdbc.sql("DELETE FROM host_payer_step_ups WHERE payer_ref = :payer AND intent_id = :intent AND expires_at > :now")
                    .param("payer", ref).param("intent", intent.value()).param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
            if (used == 0) {
                return false;
            }
            Optional<Long> last = jdbc.sql("SELECT last_step FROM host_payer_code_steps WHERE payer_ref = :payer FOR UPDATE")
                    .param("payer", ref).query(Long.class).optional();
            TotpOutcome outcome = new TotpVerifier(PARAMETERS, clock).verify(secret(payer), answer.get("code").stringValue(),
                    last.map(OptionalLong::of).orElse(OptionalLong.empty()));
            if (!(outcome instanceof TotpOutcome.Accepted accepted)) {
                return false; // the challenge is used up all the same: one answer per challenge
            }
            jdbc.sql("""
                    INSERT INTO host_payer_code_steps (payer_ref, last_step) VALUES (:payer, :step)
                    ON CONFLICT (payer_ref) DO UPDATE SET last_step = GREATEST(host_payer_code_steps.last_step, EXCLUDED.last_step)
                    """).param("payer", ref).param("step", accepted.step()).update();
            return true;
        });
        return Boolean.TRUE.equals(verified);
    }

    /** The demo user's secret in base32 (the demo page shows it, for an authenticator app); empty for anyone else. */
    Optional<String> demoSecret(PayerId payer) {
        return isDemo(payer) ? Optional.of(secret(payer).base32(SecretAccess.grant())) : Optional.empty();
    }

    /** The demo user's current code (tests and the demo page's hint). */
    String currentCode(PayerId payer) {
        return TotpGenerator.codeAt(secret(payer), PARAMETERS, clock.instant());
    }

    private boolean isDemo(PayerId payer) {
        return settings.demoUsers() && DemoUsers.named(payer.value()).isPresent();
    }

    private TotpSecret secret(PayerId payer) {
        return TotpSecret.fromBytes(HexFormat.of().parseHex(refs.tag(LABEL, payer)));
    }
}
