package dev.capsule.server.payments.internal.intents;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerStepUp;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.PrepayId;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.merchants.Merchant;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link PaymentSheets} for the host's sheet (docs/payments.md, "paySign" and "Step-up"). Each call runs in one
 * transaction that starts by locking the intent's row.
 *
 * <p>Security guarantees: {@code prepare} refuses unless the package names an intent of the calling mini-program,
 * {@code paySign} verifies ({@link PaySign}) under one of the merchant's active keys of the algorithm {@code signType}
 * names, the intent is this payer's (the pairwise id the merchant named, and the platform payer it was bound to at its
 * first prepare), unexpired and payable; an intent of another app, of another payer and an unknown one are refused
 * alike ({@code not-found}). {@code confirm} re-checks all of it under the lock, charges through
 * {@link PaymentIntents#charge} (at most once: a second confirm finds it paid), and when the risk rule
 * ({@link PaymentSettings#needsStepUp}) applies refuses unless {@link PayerStepUp} verifies the answer; without a
 * {@code PayerStepUp} bean such a payment is refused ({@code step-up-failed}). Every refusal is audited
 * ({@code payment-sheet.refuse}, reason the refusal code or the signature's finer reason).
 */
@Service
class PaymentSheetService implements PaymentSheets {
    /** Cards the sheet lists at most. */
    static final int CARDS_SHOWN_MAX = 20;
    private static final String PACKAGE_PREFIX = "prepay_id=";

    private final IntentStore store;
    private final PaymentIntents intents;
    private final IntentTransitions transitions;
    private final MerchantDirectory merchants;
    private final CardVault vault;
    private final Ledger ledger;
    private final PaymentSettings settings;
    private final ObjectProvider<PayerStepUp> stepUps;
    private final ApplicationEventPublisher audit;
    private final JsonMapper json;

    PaymentSheetService(IntentStore store, PaymentIntents intents, IntentTransitions transitions, MerchantDirectory merchants,
            CardVault vault, Ledger ledger, PaymentSettings settings, ObjectProvider<PayerStepUp> stepUps,
            ApplicationEventPublisher audit, JsonMapper json) {
        this.store = store;
        this.intents = intents;
        this.transitions = transitions;
        this.merchants = merchants;
        this.vault = vault;
        this.ledger = ledger;
        this.settings = settings;
        this.stepUps = stepUps;
        this.audit = audit;
        this.json = json;
    }

    @Override
    @Transactional
    public Prepared prepare(MiniProgramId app, Payer payer, PaymentSheet.Request request) {
        Optional<PaymentIntentId> id = Optional.ofNullable(request.packageValue())
                .filter(value -> value.startsWith(PACKAGE_PREFIX))
                .flatMap(value -> PrepayId.parse(value.substring(PACKAGE_PREFIX.length())))
                .flatMap(store::byPrepay);
        Optional<PaymentIntent> found = id.flatMap(store::lock).filter(intent -> intent.app().equals(app));
        if (found.isEmpty()) {
            return new Prepared.Unpayable(refuse(app, payer, Optional.empty(), NOT_FOUND, NOT_FOUND));
        }
        PaymentIntent intent = found.get();
        Optional<PaySign.Refusal> signature = PaySign.check(merchants.activeKeys(intent.merchant()), app.value(), request.timeStamp(),
                request.nonceStr(), request.packageValue(), request.signType(), request.paySign(), transitions.now());
        if (signature.isPresent()) {
            String reason = "signature-" + signature.get().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            return new Prepared.Unpayable(refuse(app, payer, Optional.of(intent), SIGNATURE, reason));
        }
        Optional<String> refusal = refusal(intent, payer);
        if (refusal.isPresent()) {
            return new Prepared.Unpayable(refuse(app, payer, Optional.of(intent), refusal.get(), refusal.get()));
        }
        Merchant merchant = merchants.merchant(intent.merchant()).orElseThrow();
        if (intent.payer().isEmpty()) {
            intent = transitions.update(intent, change -> change.payer = Optional.of(payer.id()));
        }
        Optional<JsonNode> challenge = Optional.empty();
        if (settings.needsStepUp(intent.amount())) {
            PayerStepUp stepUp = stepUps.getIfAvailable();
            challenge = stepUp == null ? Optional.empty() : stepUp.challenge(payer.id(), intent.id());
            if (challenge.isEmpty()) {
                return new Prepared.Unpayable(refuse(app, payer, Optional.of(intent), STEP_UP_FAILED, "step-up-unavailable"));
            }
        }
        List<CardView> cards = vault.list(payer.id(), intent.merchant(), CARDS_SHOWN_MAX);
        Optional<Long> wallet = ledger.account(LedgerMapping.wallet(payer.id(), intent.currency())).map(account -> account.creditBalance());
        return new Prepared.Ready(new Order(intent.id(), intent.merchant(), merchant.verifiedName(), intent.description(), intent.amount(),
                intent.currency(), cards, wallet, challenge, intent.expiresAt()));
    }

    @Override
    @Transactional
    public Confirmation confirm(MiniProgramId app, Payer payer, PaymentIntentId id, MethodChoice method, Optional<JsonNode> stepUp) {
        Optional<PaymentIntent> found = store.lock(id).filter(intent -> intent.app().equals(app) && intent.payer().isPresent());
        if (found.isEmpty()) {
            return new Confirmation.NotPaid(refuse(app, payer, Optional.empty(), NOT_FOUND, NOT_FOUND));
        }
        PaymentIntent intent = found.get();
        Optional<String> refusal = refusal(intent, payer);
        if (refusal.isPresent()) {
            return new Confirmation.NotPaid(refuse(app, payer, Optional.of(intent), refusal.get(), refusal.get()));
        }
        if (settings.needsStepUp(intent.amount())) {
            PayerStepUp check = stepUps.getIfAvailable();
            if (check == null || stepUp.isEmpty() || !check.verify(payer.id(), intent.id(), stepUp.get())) {
                return new Confirmation.NotPaid(refuse(app, payer, Optional.of(intent), STEP_UP_FAILED,
                        check == null ? "step-up-unavailable" : STEP_UP_FAILED));
            }
        }
        PaymentIntents.Method chosen = switch (method) {
            case MethodChoice.Card card -> new PaymentIntents.Method.Card(card.token());
            case MethodChoice.Wallet wallet -> new PaymentIntents.Method.Wallet();
        };
        if (chosen instanceof PaymentIntents.Method.Card card && vault.view(card.token(), intent.merchant(), Optional.of(payer.id())).isEmpty()) {
            return new Confirmation.NotPaid(refuse(app, payer, Optional.of(intent), NOT_FOUND, "card-not-found"));
        }
        return outcome(intents.charge(intent, chosen, payer.id()));
    }

    @Override
    @Transactional
    public Confirmation completeAction(MiniProgramId app, Payer payer, PaymentIntentId id, JsonNode answer) {
        Optional<PaymentIntent> found = store.lock(id)
                .filter(intent -> intent.app().equals(app) && intent.payer().isPresent() && belongs(intent, payer));
        if (found.isEmpty()) {
            return new Confirmation.NotPaid(refuse(app, payer, Optional.empty(), NOT_FOUND, NOT_FOUND));
        }
        PaymentIntent intent = found.get();
        if (intent.status() != IntentStatus.REQUIRES_ACTION) {
            String code = intent.status().paid() ? ALREADY_PAID : UNAVAILABLE;
            return new Confirmation.NotPaid(refuse(app, payer, Optional.of(intent), code, code));
        }
        JsonNode code = answer == null ? null : answer.get("code");
        String text = code != null && code.isString() && code.stringValue().length() <= Acquirer.CHALLENGE_ANSWER_CHARS_MAX
                ? code.stringValue() : "";
        return outcome(intents.completeAction(intent, text));
    }

    /** Why this payer may not pay this (locked, signature-checked) intent now, if they may not. */
    private Optional<String> refusal(PaymentIntent intent, Payer payer) {
        if (!belongs(intent, payer) || merchants.merchant(intent.merchant()).filter(Merchant::enabled).isEmpty()) {
            return Optional.of(NOT_FOUND);
        }
        if (intent.status().paid()) {
            return Optional.of(ALREADY_PAID);
        }
        if (intent.status() == IntentStatus.CANCELED || intent.expired(transitions.now())) {
            return Optional.of(EXPIRED);
        }
        if (!intent.status().payable()) {
            return Optional.of(UNAVAILABLE);
        }
        return Optional.empty();
    }

    /** The intent is this payer's: the pairwise id the merchant named, and the platform payer it was bound to. */
    private static boolean belongs(PaymentIntent intent, Payer payer) {
        return intent.payerAppUser().map(user -> user.equals(payer.appUserId())).orElse(true)
                && intent.payer().map(bound -> bound.equals(payer.id())).orElse(true);
    }

    private Confirmation outcome(PaymentIntent intent) {
        return switch (intent.status()) {
            case SUCCEEDED, REQUIRES_CAPTURE -> new Confirmation.Paid();
            case REQUIRES_ACTION -> {
                // The sheet's question in the shape of the step-up's ({"kind": "code", "label": …}), which shell.js
                // answers; a "type" here was shown as "cannot be answered in this browser".
                ObjectNode challenge = json.createObjectNode();
                challenge.put("kind", "code");
                challenge.put("label", "Enter the code your card issuer sent you");
                challenge.put("maxLength", Acquirer.CHALLENGE_ANSWER_CHARS_MAX);
                yield new Confirmation.ActionRequired(challenge);
            }
            case REQUIRES_PAYMENT_METHOD -> new Confirmation.NotPaid(
                    intent.lastError().filter("insufficient-funds"::equals).isPresent() ? INSUFFICIENT_FUNDS : DECLINED);
            case PROCESSING, REQUIRES_CONFIRMATION, CANCELED -> new Confirmation.NotPaid(UNAVAILABLE);
        };
    }

    /** Audits a refusal and answers the code the mini-program sees. */
    private String refuse(MiniProgramId app, Payer payer, Optional<PaymentIntent> intent, String code, String reason) {
        audit.publishEvent(new PaymentEvent(PaymentEvent.PaymentKind.SHEET_REFUSE, "denied", intent.map(PaymentIntent::merchant),
                Optional.of(app), Optional.of(payer.id()), intent.map(found -> found.id().value()), Optional.of(reason), Optional.empty()));
        return code;
    }
}
