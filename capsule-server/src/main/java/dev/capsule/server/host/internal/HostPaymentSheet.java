package dev.capsule.server.host.internal;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.PaymentSheets.Confirmation;
import dev.capsule.server.payments.PaymentSheets.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The host's payment sheet ({@code wx.requestPayment}) of one hosted session: the payments module prepares the order
 * ({@link PaymentSheets#prepare}: paySign, prepay binding, expiry), the sheet shows it outside the mini-program's
 * area as a {@code payment} prompt, the browser answers with the method chosen (and the step-up answer when asked), the
 * payments module confirms ({@link PaymentSheets#confirm}), and a card issuer's challenge is one more prompt
 * ({@code paymentChallenge}, {@link PaymentSheets#completeAction}). The mini-program gets only the outcome: paid, or
 * one refusal code.
 *
 * <p>Security guarantees: without a {@link PaymentSheets} bean every request is refused ({@code unavailable}, fail
 * closed); a request the payments module refuses never opens the sheet; the payer is the session's shell user
 * ({@link PayerId}) with the pairwise id the mini-program knows ({@link PairwiseIds}), never anything the mini-program
 * or the browser says; an unanswered sheet or challenge (prompt timeout, session ended) is {@code cancel}; a failure of
 * the payments module is {@code unavailable}, never paid.
 */
@Component
class HostPaymentSheet {
    private static final Logger log = LoggerFactory.getLogger(HostPaymentSheet.class);
    /** Issuer challenges answered in one payment at most (an issuer may ask again after a wrong answer). */
    static final int CHALLENGES_MAX = 3;

    private final ObjectProvider<PaymentSheets> sheets;
    private final PairwiseIds pairwise;
    private final PaymentMerchants merchants;
    private final Duration promptWait;
    private final Placements placements;

    HostPaymentSheet(ObjectProvider<PaymentSheets> sheets, PairwiseIds pairwise, PaymentMerchants merchants, HostSettings settings,
            Placements placements) {
        this.placements = placements;
        this.sheets = sheets;
        this.pairwise = pairwise;
        this.merchants = merchants;
        // The sheet and its challenges: the card endpoint accepts this merchant's cards for as long as they may wait.
        this.promptWait = Duration.ofSeconds((long) settings.promptSeconds() * (1 + CHALLENGES_MAX));
    }

    /** The {@link PaymentSheet} of {@code session}. */
    PaymentSheet of(HostedSession session) {
        return (appId, userId, request) -> {
            PaymentSheet.Outcome outcome = present(session, request);
            session.send(Wire.paymentResult(switch (outcome) {
                case PaymentSheet.Outcome.Paid paid -> "paid";
                case PaymentSheet.Outcome.Refused refused -> refused.reason();
            }));
            return outcome;
        };
    }

    private PaymentSheet.Outcome present(HostedSession session, PaymentSheet.Request request) {
        PaymentSheets payments = sheets.getIfAvailable();
        // Payments are kept in the home region only (docs/residency.md): a person of another region cannot pay here.
        if (payments == null || placements.refusePayments(session.principal, Optional.of(session.app))) {
            return refused(PaymentSheets.UNAVAILABLE);
        }
        PayerId id = PayerRefs.payer(session.user());
        Payer payer = new Payer(id, pairwise.runtimeUserId(session.app, session.user()));
        try {
            return switch (payments.prepare(session.app, payer, request)) {
                case PaymentSheets.Prepared.Unpayable refusal -> refused(refusal.reason()); // the sheet never opens
                case PaymentSheets.Prepared.Ready ready -> pay(session, payments, payer, ready.order());
            };
        } catch (RuntimeException e) {
            // Fail closed: the mini-program learns only that payments are unavailable; the cause is the operator's.
            log.warn("payment sheet of {} failed: {}", session.app.value(), e.getClass().getName());
            return refused(PaymentSheets.UNAVAILABLE);
        }
    }

    private PaymentSheet.Outcome pay(HostedSession session, PaymentSheets payments, Payer payer, Order order) {
        PayerId id = payer.id();
        Instant until = merchants.opened(id, order.merchant(), order.merchantName(), promptWait);
        try {
            PaymentAnswer answer = PaymentAnswer.of(session.prompt(Prompts.Kind.PAYMENT, prompt -> Wire.payment(prompt, order), 0));
            if (answer.method().isEmpty()) {
                return refused(PaymentSheets.CANCEL);
            }
            Confirmation confirmation = payments.confirm(session.app, payer, order.intent(), answer.method().get(), answer.stepUp());
            for (int round = 0; confirmation instanceof Confirmation.ActionRequired action; round++) {
                if (round == CHALLENGES_MAX) {
                    return refused(PaymentSheets.DECLINED);
                }
                Optional<JsonNode> response = session.prompt(Prompts.Kind.PAYMENT_CHALLENGE,
                        prompt -> Wire.paymentChallenge(prompt, order, action.challenge()), 0);
                if (response.isEmpty() || !response.get().isObject()) {
                    return refused(PaymentSheets.CANCEL); // the intent stays requires_action until it expires
                }
                confirmation = payments.completeAction(session.app, payer, order.intent(), response.get());
            }
            return switch (confirmation) {
                case Confirmation.Paid paid -> new PaymentSheet.Outcome.Paid();
                case Confirmation.NotPaid refusal -> refused(refusal.reason());
                case Confirmation.ActionRequired action -> refused(PaymentSheets.DECLINED); // the loop ends only otherwise
            };
        } finally {
            try {
                merchants.closed(id, order.merchant(), until);
            } catch (RuntimeException e) {
                // The outcome stands (a charge already made must be reported as paid); the row closes at `until` anyway.
                log.warn("could not close the payment sheet's card window: {}", e.getClass().getName());
            }
        }
    }

    private static PaymentSheet.Outcome refused(String reason) {
        return new PaymentSheet.Outcome.Refused(reason);
    }
}
