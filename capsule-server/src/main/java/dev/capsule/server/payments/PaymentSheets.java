package dev.capsule.server.payments;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.registry.MiniProgramId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform side of the host's payment sheet ({@code wx.requestPayment}): the host asks {@link #prepare} what to
 * show, shows it outside the mini-program's area, and calls {@link #confirm} with the user's choice. The mini-program
 * learns only the outcome code; the merchant learns the result from the API or a webhook.
 *
 * <p>Security guarantees: {@code prepare} never charges and refuses unless {@code paySign} verifies under the
 * merchant's key with the algorithm that key pins ({@code signType} must name it), the timestamp is within the allowed
 * skew, the prepay id names an unexpired intent of this mini-program's merchant that is this payer's (or not yet bound
 * to anyone) and still payable. {@code confirm} charges an intent at most once whatever the concurrency, re-checks all
 * of that, and refuses when risk asks for step-up and {@link PayerStepUp} does not verify it (no {@code PayerStepUp}
 * bean: refused). An intent of another app, another user and an unknown one are refused alike ({@link #NOT_FOUND}).
 */
public interface PaymentSheets {
    /** Refusal codes the mini-program may see (its {@code fail} errMsg); a fixed vocabulary. */
    String CANCEL = "cancel";
    String SIGNATURE = "signature";
    String NOT_FOUND = "not-found";
    String EXPIRED = "expired";
    String ALREADY_PAID = "already-paid";
    String DECLINED = "declined";
    String INSUFFICIENT_FUNDS = "insufficient-funds";
    String STEP_UP_FAILED = "step-up-failed";
    String UNAVAILABLE = "unavailable";

    Prepared prepare(MiniProgramId app, Payer payer, PaymentSheet.Request request);

    /**
     * Pays {@code intent} with the chosen method.
     *
     * @param stepUp the browser's answer to the step-up challenge of {@link Order#stepUp()}, when one was asked
     */
    Confirmation confirm(MiniProgramId app, Payer payer, PaymentIntentId intent, MethodChoice method,
            Optional<tools.jackson.databind.JsonNode> stepUp);

    /** Answers the issuer's challenge of {@link Confirmation.ActionRequired} (3DS-style) and completes the payment. */
    Confirmation completeAction(MiniProgramId app, Payer payer, PaymentIntentId intent, tools.jackson.databind.JsonNode answer);

    /** What a confirmation came to. The host turns {@code Paid}/{@code NotPaid} into the mini-program's outcome. */
    sealed interface Confirmation {
        record Paid() implements Confirmation {
        }

        /** @param reason one of the codes above */
        record NotPaid(String reason) implements Confirmation {
            public NotPaid {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * The card issuer asks the cardholder to authenticate: the host shows {@code challenge} (JSON: what to ask, e.g.
         * a code prompt with its label) in the sheet and sends the answer to {@link #completeAction}.
         */
        record ActionRequired(tools.jackson.databind.JsonNode challenge) implements Confirmation {
            public ActionRequired {
                Objects.requireNonNull(challenge, "challenge");
            }
        }
    }

    sealed interface Prepared {
        record Ready(Order order) implements Prepared {
            public Ready {
                Objects.requireNonNull(order, "order");
            }
        }

        /** @param reason one of the codes above */
        record Unpayable(String reason) implements Prepared {
            public Unpayable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * What the sheet shows: the amount (integer minor units of an ISO 4217 currency), the merchant's verified name,
     * the intent's description, the payer's methods and, when risk asks for it, the step-up challenge for the browser.
     */
    record Order(PaymentIntentId intent, MerchantId merchant, String merchantName, String description, long amountMinor,
            String currency, List<CardView> cards, Optional<Long> walletBalanceMinor, Optional<tools.jackson.databind.JsonNode> stepUp,
            Instant expiresAt) {
        public Order {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(merchant, "merchant");
            Objects.requireNonNull(merchantName, "merchantName");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(currency, "currency");
            cards = List.copyOf(cards);
            Objects.requireNonNull(walletBalanceMinor, "walletBalanceMinor");
            Objects.requireNonNull(stepUp, "stepUp");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (amountMinor <= 0) {
                throw new IllegalArgumentException("an amount is a positive number of minor units");
            }
        }
    }

    /** How the user chose to pay: a card token of theirs for this merchant, or their wallet balance. */
    sealed interface MethodChoice {
        record Card(CardToken token) implements MethodChoice {
            public Card {
                Objects.requireNonNull(token, "token");
            }
        }

        record Wallet() implements MethodChoice {
        }
    }
}
