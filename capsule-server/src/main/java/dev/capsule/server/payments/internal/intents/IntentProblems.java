package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The payment intents' problem types (docs/payments.md, "Problem types"). Field errors use the platform's {@code validation}. */
final class IntentProblems {
    static final ProblemType INTENT_NOT_FOUND = new ProblemType("payment-intent-not-found", HttpStatus.NOT_FOUND,
            "There is no such payment intent");
    static final ProblemType UNEXPECTED_STATE = new ProblemType("payment-intent-unexpected-state", HttpStatus.CONFLICT,
            "The payment intent's status does not allow this");
    static final ProblemType PAYMENT_METHOD_INVALID = new ProblemType("payment-method-invalid", HttpStatus.BAD_REQUEST,
            "The payment method cannot pay this intent");
    static final ProblemType REFUND_EXCEEDS = new ProblemType("refund-exceeds-received", HttpStatus.BAD_REQUEST,
            "The refund is more than what remains refundable");
    static final ProblemType MERCHANT_BALANCE_INSUFFICIENT = new ProblemType("merchant-balance-insufficient", HttpStatus.CONFLICT,
            "The merchant's balance does not cover the refund");
    static final ProblemType ACQUIRER_REFUSED = new ProblemType("acquirer-refused", HttpStatus.BAD_GATEWAY,
            "The acquirer refused the operation");
    static final ProblemType PAYMENTS_UNAVAILABLE = new ProblemType("payments-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Card payments are not available: no acquirer is configured");

    private IntentProblems() {
    }
}
