package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PrepayId;
import dev.capsule.server.payments.RefundId;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.merchants.Merchant;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.server.payments.internal.webhooks.WebhookOutbox;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment intents: creation, confirmation (by the merchant off-session, or by the payer through the sheet),
 * the issuer's challenge, capture, cancel, refunds and wallet credits. Every operation runs in the caller's transaction
 * (the merchant API's is the idempotency record's) and starts by locking the intent's row, so concurrent
 * confirmations of one intent run one after the other and only the first finds it payable.
 *
 * <p>Security guarantees: an intent is charged at most once: the charge happens only on the transition out of a
 * payable status, under the row lock, with an acquirer reference and ledger transfer ids derived from the intent and its
 * attempt (a retry reuses them: the acquirer answers its first result and the ledger {@code EXISTS}); a merchant sees
 * and changes only its own intents (another merchant's answer exactly like an unknown one); a card is opened only
 * through the vault for this merchant and the intent's bound payer; a refund is new ledger transfers and never more
 * than was received.
 */
@Service
public class PaymentIntents {
    /** Attempts of one acquirer call that timed out, with the same reference, before the intent stays {@code processing}. */
    static final int ACQUIRER_TRIES_MAX = 2;

    private final IntentStore store;
    private final IntentTransitions transitions;
    private final IntentJson json;
    private final Ledger ledger;
    private final CardVault vault;
    private final ObjectProvider<Acquirer> acquirers;
    private final MerchantDirectory merchants;
    private final WebhookOutbox webhooks;
    private final ApplicationEventPublisher audit;
    private final PaymentSettings settings;

    PaymentIntents(IntentStore store, IntentTransitions transitions, IntentJson json, Ledger ledger, CardVault vault,
            ObjectProvider<Acquirer> acquirers, MerchantDirectory merchants, WebhookOutbox webhooks, ApplicationEventPublisher audit,
            PaymentSettings settings) {
        this.store = store;
        this.transitions = transitions;
        this.json = json;
        this.ledger = ledger;
        this.vault = vault;
        this.acquirers = acquirers;
        this.merchants = merchants;
        this.webhooks = webhooks;
        this.audit = audit;
        this.settings = settings;
    }

    /** What a merchant asks for; validated by {@link IntentRequests}. */
    public record NewIntent(long amount, String currency, MiniProgramId app, String description, Optional<String> payer,
            PaymentIntent.CaptureMethod captureMethod, Optional<String> paymentMethod, Map<String, String> metadata,
            Duration expiresIn) {
    }

    /** How a payment is paid: a vault token, or the payer's wallet. */
    sealed interface Method {
        record Card(CardToken token) implements Method {
        }

        record Wallet() implements Method {
        }

        static Optional<Method> parse(String text) {
            if ("wallet".equals(text)) {
                return Optional.of(new Wallet());
            }
            return CardToken.parse(text).map(Card::new);
        }

        default String wire() {
            return switch (this) {
                case Card card -> card.token().value();
                case Wallet wallet -> "wallet";
            };
        }
    }

    // ---- reading

    public Optional<PaymentIntent> find(PaymentIntentId id) {
        return store.find(id);
    }

    /** The merchant's intent, or 404 (another merchant's intent answers exactly like an unknown one). */
    public PaymentIntent ofMerchant(MerchantId merchant, PaymentIntentId id) {
        return store.find(id).filter(intent -> intent.merchant().equals(merchant)).orElseThrow(PaymentIntents::notFound);
    }

    public List<PaymentIntent> page(Optional<MerchantId> merchant, Optional<PaymentIntentId> startingAfter, int limit) {
        return store.page(merchant, startingAfter, limit);
    }

    List<IntentStore.Transition> transitions(PaymentIntentId id) {
        return store.transitions(id);
    }

    List<IntentStore.PaymentTransfer> transfers(PaymentIntentId id) {
        return store.transfers(id);
    }

    List<IntentStore.Refund> refunds(PaymentIntentId id) {
        return store.refunds(id);
    }

    // ---- creating

    @Transactional
    public PaymentIntent create(MerchantId merchantId, NewIntent request) {
        Merchant merchant = merchants.merchant(merchantId).filter(Merchant::enabled)
                .orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN, "the merchant is not enabled"));
        if (!merchant.apps().contains(request.app())) {
            throw IntentRequests.invalid("appId", "is not a mini-program of this merchant");
        }
        request.paymentMethod().ifPresent(method -> {
            if (Method.parse(method).isEmpty()) {
                throw IntentRequests.invalid("paymentMethod", "is \"wallet\" or a card token (tok_…)");
            }
        });
        Instant now = transitions.now();
        PaymentIntent intent = new PaymentIntent(PaymentIntentId.random(), PrepayId.random(), merchantId, request.app(),
                request.payer(), Optional.empty(),
                request.paymentMethod().isPresent() ? IntentStatus.REQUIRES_CONFIRMATION : IntentStatus.REQUIRES_PAYMENT_METHOD,
                request.amount(), request.currency(), request.captureMethod(), 0, 0, 0, request.description(),
                request.paymentMethod(), Optional.empty(), Optional.empty(), 0, Optional.empty(), request.metadata(), now,
                now.plus(request.expiresIn()));
        store.insert(intent, now);
        audit.publishEvent(new PaymentEvent(PaymentEvent.PaymentKind.INTENT_CREATE, "success", Optional.of(merchantId),
                Optional.of(request.app()), Optional.empty(), Optional.of(intent.id().value()), Optional.empty(), Optional.empty()));
        webhooks.enqueue(merchantId, "payment_intent.created", json.intent(intent));
        return intent;
    }

    // ---- paying

    /**
     * The merchant confirms off-session: with {@code method} or the one attached at creation, for the payer the sheet
     * bound the intent to (a card token must be that payer's for this merchant). A {@code processing} intent (an
     * acquirer timeout) is retried with the same reference.
     */
    @Transactional
    public PaymentIntent confirmByMerchant(MerchantId merchant, PaymentIntentId id, Optional<String> methodText) {
        PaymentIntent intent = store.lock(id).filter(found -> found.merchant().equals(merchant)).orElseThrow(PaymentIntents::notFound);
        requireConfirmable(intent);
        Method method = methodText.or(intent::paymentMethod).map(text -> Method.parse(text)
                        .orElseThrow(() -> IntentRequests.invalid("paymentMethod", "is \"wallet\" or a card token (tok_…)")))
                .orElseThrow(() -> new ProblemException(IntentProblems.PAYMENT_METHOD_INVALID,
                        "the intent has no payment method: confirm with paymentMethod"));
        PayerId payer = intent.payer().orElseThrow(() -> new ProblemException(IntentProblems.PAYMENT_METHOD_INVALID,
                "the intent has no payer yet: the payer binds it by opening the payment sheet"));
        if (method instanceof Method.Card card && vault.view(card.token(), merchant, Optional.of(payer)).isEmpty()) {
            throw new ProblemException(IntentProblems.PAYMENT_METHOD_INVALID, "there is no such card token for this payer");
        }
        return charge(intent, method, payer);
    }

    /** Refuses (409) unless the intent may be confirmed now. */
    void requireConfirmable(PaymentIntent intent) {
        if (intent.status().payable() && intent.expired(transitions.now())) {
            throw new ProblemException(IntentProblems.UNEXPECTED_STATE, "the payment intent expired", Map.of("status", "expired"));
        }
        if (!intent.status().payable() && intent.status() != IntentStatus.PROCESSING) {
            throw unexpected(intent, "confirm");
        }
    }

    /**
     * Charges a locked, confirmable intent for {@code payer} (already checked: the method is theirs). The one place money
     * is taken.
     *
     * <p>A wallet payment is decided inside this transaction (the ledger answers at once), so no one could ever see it
     * {@code processing}: it moves once, straight to its outcome, as Stripe's synchronous confirmations do. A card goes
     * through {@code processing}, which it keeps while the acquirer's answer is unknown.
     */
    PaymentIntent charge(PaymentIntent locked, Method method, PayerId payer) {
        int attempt = locked.attempt() + 1;
        Consumer<PaymentIntent.Changes> confirming = change -> {
            change.attempt = attempt;
            change.paymentMethod = Optional.of(method.wire());
            change.lastError = Optional.empty();
            change.payer = Optional.of(payer);
        };
        if (locked.status() != IntentStatus.PROCESSING && method instanceof Method.Wallet) {
            return chargeWallet(locked, payer, attempt, confirming);
        }
        PaymentIntent processing = locked.status() == IntentStatus.PROCESSING ? locked
                : transitions.move(locked, IntentStatus.PROCESSING, "confirm", Optional.empty(), confirming);
        return switch (Method.parse(processing.paymentMethod().orElseThrow()).orElseThrow()) {
            case Method.Wallet wallet -> chargeWallet(processing, payer, processing.attempt(), change -> { });
            case Method.Card card -> settle(processing, tries(() -> vault.withCard(card.token(), processing.merchant(),
                    Optional.of(payer), processing.id(), opened -> acquirer().authorize(processing.acquirerReference(), opened,
                            processing.amount(), processing.currency(), automatic(processing)))
                    .orElse(new Acquirer.Result.Declined("payment-method-unavailable"))));
        };
    }

    /** The cardholder's answer to the issuer's challenge (from the sheet). */
    PaymentIntent completeAction(PaymentIntent locked, String answer) {
        if (locked.status() != IntentStatus.REQUIRES_ACTION || locked.challengeId().isEmpty()) {
            throw unexpected(locked, "complete the payer's authentication");
        }
        String challenge = locked.challengeId().get();
        PaymentIntent processing = transitions.move(locked, IntentStatus.PROCESSING, "payer-authentication", Optional.empty(),
                change -> change.challengeId = Optional.empty());
        return settle(processing, tries(() -> acquirer().completeChallenge(processing.acquirerReference(), challenge, answer)));
    }

    /**
     * Moves the intent's amount from the payer's wallet to the merchant (attempt {@code attempt}), and {@code intent} to the
     * outcome with the {@code confirming} changes. Refused for want of funds, a payable intent still goes through
     * {@code processing} to {@code requires_payment_method}: the table has no step from a status to itself.
     */
    private PaymentIntent chargeWallet(PaymentIntent intent, PayerId payer, int attempt, Consumer<PaymentIntent.Changes> confirming) {
        AccountId wallet = LedgerMapping.wallet(payer, intent.currency());
        AccountId merchant = merchantAccount(intent.merchant(), intent.currency());
        LedgerMapping.ensure(ledger, wallet, LedgerMapping.Kind.WALLET, intent.currency(), "wallet");
        boolean automatic = automatic(intent);
        LedgerMapping.Purpose purpose = automatic ? LedgerMapping.Purpose.CHARGE : LedgerMapping.Purpose.HOLD;
        TransferId id = LedgerMapping.transfer(intent.id().value(), purpose, String.valueOf(attempt));
        TransferResult result = transfer(intent, id, wallet, merchant, intent.amount(), purpose, Optional.empty(),
                automatic ? Set.of() : Set.of(TransferFlag.PENDING));
        return switch (result) {
            case OK, EXISTS -> approved(intent, "wallet-charged", confirming);
            case EXCEEDS_CREDITS -> {
                PaymentIntent processing = intent.status() == IntentStatus.PROCESSING ? intent
                        : transitions.move(intent, IntentStatus.PROCESSING, "confirm", Optional.empty(), confirming);
                yield transitions.move(processing, IntentStatus.REQUIRES_PAYMENT_METHOD, "insufficient-funds",
                        Optional.empty(), change -> change.lastError = Optional.of("insufficient-funds"));
            }
            default -> throw new IllegalStateException("the ledger refused a wallet payment: " + result);
        };
    }

    /** Applies the acquirer's answer to a {@code processing} intent. */
    private PaymentIntent settle(PaymentIntent intent, Acquirer.Result result) {
        return switch (result) {
            case Acquirer.Result.Approved approved -> {
                AccountId clearing = clearingAccount(intent.currency());
                AccountId merchant = merchantAccount(intent.merchant(), intent.currency());
                boolean automatic = automatic(intent);
                LedgerMapping.Purpose purpose = automatic ? LedgerMapping.Purpose.CHARGE : LedgerMapping.Purpose.HOLD;
                TransferId id = LedgerMapping.transfer(intent.id().value(), purpose, String.valueOf(intent.attempt()));
                TransferResult applied = transfer(intent, id, clearing, merchant, intent.amount(), purpose, Optional.empty(),
                        automatic ? Set.of() : Set.of(TransferFlag.PENDING));
                if (!applied.applied()) {
                    throw new IllegalStateException("the ledger refused a card payment's transfer: " + applied);
                }
                yield approved(intent, "acquirer-approved", change -> { });
            }
            case Acquirer.Result.Declined declined -> transitions.move(intent, IntentStatus.REQUIRES_PAYMENT_METHOD,
                    code(declined.code()), Optional.empty(), change -> change.lastError = Optional.of(code(declined.code())));
            case Acquirer.Result.ChallengeRequired challenge -> transitions.move(intent, IntentStatus.REQUIRES_ACTION,
                    "issuer-challenge", Optional.empty(), change -> change.challengeId = Optional.of(challenge.challengeId()));
            // The outcome is unknown: the intent stays processing; the next confirm retries with the same reference.
            case Acquirer.Result.TimedOut timedOut -> transitions.update(intent, change -> change.lastError = Optional.of("acquirer-timeout"));
        };
    }

    private PaymentIntent approved(PaymentIntent intent, String reason, Consumer<PaymentIntent.Changes> confirming) {
        if (automatic(intent)) {
            return transitions.move(intent, IntentStatus.SUCCEEDED, reason, Optional.empty(), change -> {
                confirming.accept(change);
                change.amountReceived = intent.amount();
                change.lastError = Optional.empty();
            });
        }
        return transitions.move(intent, IntentStatus.REQUIRES_CAPTURE, reason, Optional.empty(), change -> {
            confirming.accept(change);
            change.amountCapturable = intent.amount();
            change.lastError = Optional.empty();
        });
    }

    private static Acquirer.Result tries(java.util.function.Supplier<Acquirer.Result> call) {
        Acquirer.Result result = call.get();
        for (int tried = 1; result instanceof Acquirer.Result.TimedOut && tried < ACQUIRER_TRIES_MAX; tried++) {
            result = call.get();
        }
        return result;
    }

    // ---- two-phase

    @Transactional
    public PaymentIntent capture(MerchantId merchant, PaymentIntentId id, Optional<Long> amount) {
        PaymentIntent intent = store.lock(id).filter(found -> found.merchant().equals(merchant)).orElseThrow(PaymentIntents::notFound);
        if (intent.status() != IntentStatus.REQUIRES_CAPTURE) {
            throw unexpected(intent, "capture");
        }
        long captured = amount.orElse(intent.amountCapturable());
        if (captured <= 0 || captured > intent.amountCapturable()) {
            throw IntentRequests.invalid("amount", "is 1 to the capturable amount (" + intent.amountCapturable() + ")");
        }
        Method method = Method.parse(intent.paymentMethod().orElseThrow()).orElseThrow();
        if (method instanceof Method.Card) {
            requireApproved(acquirer().capture(intent.acquirerReference(), captured), "capture");
        }
        TransferId hold = LedgerMapping.transfer(intent.id().value(), LedgerMapping.Purpose.HOLD, String.valueOf(intent.attempt()));
        TransferId post = LedgerMapping.transfer(intent.id().value(), LedgerMapping.Purpose.CAPTURE, String.valueOf(intent.attempt()));
        TransferResult result = transfer(intent, post, debitOf(intent, method), merchantAccount(intent.merchant(), intent.currency()),
                captured, LedgerMapping.Purpose.CAPTURE, Optional.of(hold), Set.of(TransferFlag.POST_PENDING_TRANSFER));
        if (!result.applied()) {
            throw new IllegalStateException("the ledger refused a capture: " + result);
        }
        return transitions.move(intent, IntentStatus.SUCCEEDED, "capture", Optional.empty(), change -> {
            change.amountReceived = captured;
            change.amountCapturable = 0;
        });
    }

    @Transactional
    public PaymentIntent cancel(MerchantId merchant, PaymentIntentId id) {
        PaymentIntent intent = store.lock(id).filter(found -> found.merchant().equals(merchant)).orElseThrow(PaymentIntents::notFound);
        if (!intent.status().cancelable()) {
            throw unexpected(intent, "cancel");
        }
        return cancelLocked(intent, "requested");
    }

    private PaymentIntent cancelLocked(PaymentIntent intent, String reason) {
        if (intent.status() == IntentStatus.REQUIRES_CAPTURE) {
            Method method = Method.parse(intent.paymentMethod().orElseThrow()).orElseThrow();
            if (method instanceof Method.Card) {
                requireApproved(acquirer().release(intent.acquirerReference()), "release");
            }
            TransferId hold = LedgerMapping.transfer(intent.id().value(), LedgerMapping.Purpose.HOLD, String.valueOf(intent.attempt()));
            TransferId release = LedgerMapping.transfer(intent.id().value(), LedgerMapping.Purpose.RELEASE, String.valueOf(intent.attempt()));
            TransferResult result = transfer(intent, release, debitOf(intent, method), merchantAccount(intent.merchant(), intent.currency()),
                    0, LedgerMapping.Purpose.RELEASE, Optional.of(hold), Set.of(TransferFlag.VOID_PENDING_TRANSFER));
            // A hold past its timeout was voided by the ledger already: nothing is held either way.
            if (!result.applied() && result != TransferResult.PENDING_TRANSFER_EXPIRED) {
                throw new IllegalStateException("the ledger refused a release: " + result);
            }
        }
        return transitions.move(intent, IntentStatus.CANCELED, reason, Optional.empty(), change -> {
            change.amountCapturable = 0;
            change.cancellationReason = Optional.of(reason);
            change.challengeId = Optional.empty();
        });
    }

    /** Cancels an intent that expired while awaiting its payer; false when it no longer qualifies. */
    @Transactional
    public boolean expire(PaymentIntentId id) {
        Optional<PaymentIntent> intent = store.lock(id);
        if (intent.isEmpty() || !intent.get().expired(transitions.now())
                || !(intent.get().status().payable() || intent.get().status() == IntentStatus.REQUIRES_ACTION)) {
            return false;
        }
        cancelLocked(intent.get(), "expired");
        return true;
    }

    List<PaymentIntentId> expiredIntents(int limit) {
        return store.expired(transitions.now(), limit);
    }

    // ---- refunds

    /**
     * Refunds (part of) a succeeded intent as new ledger transfers (merchant balance → where the money came from).
     *
     * @param merchant the merchant asking, or empty when an operator refunds (then {@code actor} names them)
     */
    @Transactional
    public IntentStore.Refund refund(Optional<MerchantId> merchant, PaymentIntentId id, Optional<Long> amount, String createdBy,
            Optional<String> actor) {
        PaymentIntent intent = store.lock(id).filter(found -> merchant.isEmpty() || found.merchant().equals(merchant.get()))
                .orElseThrow(PaymentIntents::notFound);
        if (intent.status() != IntentStatus.SUCCEEDED) {
            throw unexpected(intent, "refund");
        }
        long remaining = intent.amountReceived() - intent.amountRefunded();
        long refunded = amount.orElse(remaining);
        if (refunded <= 0 || refunded > remaining) {
            throw new ProblemException(IntentProblems.REFUND_EXCEEDS, "at most " + remaining + " of the intent's amount remains refundable",
                    Map.of("refundable", remaining));
        }
        RefundId refundId = RefundId.random();
        Method method = Method.parse(intent.paymentMethod().orElseThrow()).orElseThrow();
        TransferId transferId = LedgerMapping.transfer(intent.id().value(), LedgerMapping.Purpose.REFUND, refundId.value());
        TransferResult result = transfer(intent, transferId, merchantAccount(intent.merchant(), intent.currency()),
                debitOf(intent, method), refunded, LedgerMapping.Purpose.REFUND, Optional.empty(), Set.of());
        if (result == TransferResult.EXCEEDS_CREDITS) {
            throw new ProblemException(IntentProblems.MERCHANT_BALANCE_INSUFFICIENT, "the merchant's balance does not cover the refund");
        }
        if (!result.applied()) {
            throw new IllegalStateException("the ledger refused a refund: " + result);
        }
        if (method instanceof Method.Card) {
            // After the ledger: if the acquirer refuses, the transaction (and the transfer) rolls back.
            requireApproved(acquirer().refund(intent.acquirerReference(), refundId.value(), refunded), "refund");
        }
        transitions.update(intent, change -> change.amountRefunded = intent.amountRefunded() + refunded);
        IntentStore.Refund refund = new IntentStore.Refund(refundId, intent.id(), intent.merchant(), refunded, intent.currency(),
                "succeeded", createdBy, transitions.now());
        store.insertRefund(refund);
        audit.publishEvent(new PaymentEvent(PaymentEvent.PaymentKind.REFUND_CREATE, "success", Optional.of(intent.merchant()),
                Optional.of(intent.app()), intent.payer(), Optional.of(refundId.value()), Optional.of(intent.id().value()), actor));
        webhooks.enqueue(intent.merchant(), "refund.created", json.refund(refund));
        return refund;
    }

    // ---- wallets

    /** Credits a payer's wallet from the platform's funding account (the super-app received the money outside). */
    @Transactional
    public long credit(PayerId payer, long amount, String currency, String actor) {
        AccountId funding = LedgerMapping.funding(currency);
        AccountId wallet = LedgerMapping.wallet(payer, currency);
        LedgerMapping.ensure(ledger, funding, LedgerMapping.Kind.FUNDING, currency, "funding");
        LedgerMapping.ensure(ledger, wallet, LedgerMapping.Kind.WALLET, currency, "wallet");
        UUID creditId = UUID.randomUUID();
        TransferId id = LedgerMapping.transfer("credit:" + creditId, LedgerMapping.Purpose.CREDIT, "0");
        TransferResult result = ledger.createTransfers(List.of(new NewTransfer(id, funding, wallet, amount, Optional.empty(),
                LedgerMapping.ledger(currency), LedgerMapping.Purpose.CREDIT.code(), Set.of(), Duration.ZERO, "credit"))).getFirst();
        if (!result.applied()) {
            throw new IllegalStateException("the ledger refused a wallet credit: " + result);
        }
        store.insertCredit(creditId, payer, amount, currency, actor, transitions.now());
        audit.publishEvent(new PaymentEvent(PaymentEvent.PaymentKind.WALLET_CREDIT, "success", Optional.empty(), Optional.empty(),
                Optional.of(payer), Optional.empty(), Optional.of(amount + " " + currency), Optional.of(actor)));
        return ledger.account(wallet).orElseThrow().creditBalance();
    }

    /** The payer's posted wallet balance per currency. */
    public Map<String, Long> balances(PayerId payer) {
        Map<String, Long> balances = new java.util.TreeMap<>();
        for (String currency : store.payerCurrencies(payer)) {
            ledger.account(LedgerMapping.wallet(payer, currency)).ifPresent(account -> balances.put(currency, account.creditBalance()));
        }
        return balances;
    }

    /** The merchant's balance per currency: available (posted) and pending (holds not yet captured). */
    public record Balance(String currency, long available, long pending) {
    }

    public List<Balance> merchantBalance(MerchantId merchant) {
        return store.merchantCurrencies(merchant).stream()
                .flatMap(currency -> ledger.account(LedgerMapping.merchant(merchant, currency)).stream()
                        .map(account -> new Balance(currency, account.creditBalance(), account.creditsPending())))
                .toList();
    }

    // ---- helpers

    private TransferResult transfer(PaymentIntent intent, TransferId id, AccountId debit, AccountId credit, long amount,
            LedgerMapping.Purpose purpose, Optional<TransferId> pending, Set<TransferFlag> flags) {
        Duration timeout = flags.contains(TransferFlag.PENDING) ? Duration.ofHours(settings.captureHoldHours()) : Duration.ZERO;
        TransferResult result = ledger.createTransfers(List.of(new NewTransfer(id, debit, credit, amount, pending,
                LedgerMapping.ledger(intent.currency()), purpose.code(), flags, timeout, intent.id().value()))).getFirst();
        if (result.applied()) {
            store.recordTransfer(id.value(), intent.id(), purpose.wire(), amount, transitions.now());
        }
        return result;
    }

    /** Where a payment's money came from: the payer's wallet, or the acquirer's clearing account. */
    private AccountId debitOf(PaymentIntent intent, Method method) {
        return switch (method) {
            case Method.Wallet wallet -> LedgerMapping.wallet(intent.payer().orElseThrow(), intent.currency());
            case Method.Card card -> clearingAccount(intent.currency());
        };
    }

    private AccountId merchantAccount(MerchantId merchant, String currency) {
        AccountId id = LedgerMapping.merchant(merchant, currency);
        LedgerMapping.ensure(ledger, id, LedgerMapping.Kind.MERCHANT, currency, merchant.value());
        return id;
    }

    private AccountId clearingAccount(String currency) {
        String name = acquirer().name();
        AccountId id = LedgerMapping.clearing(name, currency);
        LedgerMapping.ensure(ledger, id, LedgerMapping.Kind.CLEARING, currency, "acquirer:" + name);
        return id;
    }

    private Acquirer acquirer() {
        Acquirer acquirer = acquirers.getIfAvailable();
        if (acquirer == null) {
            throw new ProblemException(IntentProblems.PAYMENTS_UNAVAILABLE, "no card acquirer is configured (capsule.payments.acquirer)");
        }
        return acquirer;
    }

    private static void requireApproved(Acquirer.Result result, String what) {
        if (!(result instanceof Acquirer.Result.Approved)) {
            throw new ProblemException(IntentProblems.ACQUIRER_REFUSED, "the acquirer refused the " + what);
        }
    }

    private static boolean automatic(PaymentIntent intent) {
        return intent.captureMethod() == PaymentIntent.CaptureMethod.AUTOMATIC;
    }

    /** An acquirer's decline code as a fixed-vocabulary code (anything unexpected becomes card-declined). */
    private static String code(String declineCode) {
        return declineCode.matches("[a-z][a-z0-9-]{0,40}") ? declineCode : "card-declined";
    }

    static ProblemException notFound() {
        return new ProblemException(IntentProblems.INTENT_NOT_FOUND, "there is no payment intent with that id");
    }

    static ProblemException unexpected(PaymentIntent intent, String what) {
        return new ProblemException(IntentProblems.UNEXPECTED_STATE,
                "a payment intent in status " + intent.status().wire() + " cannot " + what, Map.of("status", intent.status().wire()));
    }
}
