package dev.capsule.server.payments;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Who proves that the payer is present when risk asks for it (as the access module's {@code StepUpCheck} does for
 * operators): the host implements it (a passkey, or with demo users a TOTP-style code). The payments module asks for
 * a challenge when it prepares an order and verifies the browser's answer before it charges.
 *
 * <p>Security guarantees the implementation must keep: a challenge is bound to this payer and this intent and is
 * answered at most once; {@code verify} is false for anything else. Without a {@code PayerStepUp} bean the payments
 * module refuses every payment that needs step-up (fail closed).
 */
public interface PayerStepUp {
    /** A challenge for the browser (JSON the host's sheet understands), or empty when this payer cannot step up. */
    Optional<JsonNode> challenge(PayerId payer, PaymentIntentId intent);

    /** Whether {@code answer} proves presence for exactly this payer and intent; consumes the challenge. */
    boolean verify(PayerId payer, PaymentIntentId intent, JsonNode answer);
}
