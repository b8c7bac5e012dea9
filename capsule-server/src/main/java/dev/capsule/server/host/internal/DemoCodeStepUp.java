package dev.capsule.server.host.internal;

import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.auth.totp.TotpVerifier;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.payments.PayerId;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo users' step-up ({@code capsule serve --dev} only): a TOTP-style 6-digit code (RFC 6238, core's
 * {@code dev.capsule.core.auth.totp}, the operators' one implementation) whose secret {@code /shell/demo} shows.
 * {@link HostPayerStepUp} uses it for a demo user without a passkey.
 *
 * <p>Security guarantees: nothing is accepted while demo users are off or for a payer who is not a demo user; the
 * secret is derived from the demo user's id under the platform's {@code pseudonyms} key and never stored; a code's time
 * step is accepted once per payer ({@code host_payer_code_steps}, updated under a row lock in the caller's
 * transaction).
 */
@Component
class DemoCodeStepUp {
    static final TotpParameters PARAMETERS = TotpParameters.OPERATOR;
    private static final String LABEL = "capsule.host.demo-step-up/1";

    private final JdbcClient jdbc;
    private final PayerRefs refs;
    private final HostSettings settings;
    private final Clock clock;

    @Autowired
    DemoCodeStepUp(JdbcClient jdbc, PayerRefs refs, HostSettings settings) {
        this(jdbc, refs, settings, Clock.systemUTC());
    }

    DemoCodeStepUp(JdbcClient jdbc, PayerRefs refs, HostSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.refs = refs;
        this.settings = settings;
        this.clock = clock;
    }

    boolean available(PayerId payer) {
        return settings.demoUsers() && DemoUsers.named(payer.value()).isPresent();
    }

    /** The sheet's question: {@code {"kind": "code", "digits": 6, "label": …}}. */
    static ObjectNode challenge() {
        return Wire.object().put("kind", "code").put("digits", PARAMETERS.digits())
                .put("label", "Enter the " + PARAMETERS.digits() + "-digit code of your demo authenticator (secret on the demo page)");
    }

    /** Whether {@code answer} is exactly {@code {"code": …}} with this demo user's current, unused code. */
    boolean verify(PayerId payer, JsonNode answer) {
        if (!available(payer) || answer == null || !answer.isObject() || answer.size() != 1 || !answer.path("code").isString()) {
            return false;
        }
        String ref = refs.ref(payer);
        Optional<Long> last = jdbc.sql("SELECT last_step FROM host_payer_code_steps WHERE payer_ref = :payer FOR UPDATE")
                .param("payer", ref).query(Long.class).optional();
        TotpOutcome outcome = new TotpVerifier(PARAMETERS, clock).verify(secret(payer), answer.get("code").stringValue(),
                last.map(OptionalLong::of).orElse(OptionalLong.empty()));
        if (!(outcome instanceof TotpOutcome.Accepted accepted)) {
            return false;
        }
        jdbc.sql("""
                INSERT INTO host_payer_code_steps (payer_ref, last_step) VALUES (:payer, :step)
                ON CONFLICT (payer_ref) DO UPDATE SET last_step = GREATEST(host_payer_code_steps.last_step, EXCLUDED.last_step)
                """).param("payer", ref).param("step", accepted.step()).update();
        return true;
    }

    /** The demo user's secret in base32 (the demo page shows it, for an authenticator app); empty for anyone else. */
    Optional<String> demoSecret(PayerId payer) {
        return available(payer) ? Optional.of(secret(payer).base32(SecretAccess.grant())) : Optional.empty();
    }

    /** The demo user's current code (tests). */
    String currentCode(PayerId payer) {
        return TotpGenerator.codeAt(secret(payer), PARAMETERS, clock.instant());
    }

    private TotpSecret secret(PayerId payer) {
        return TotpSecret.fromBytes(HexFormat.of().parseHex(refs.tag(LABEL, payer)));
    }
}
