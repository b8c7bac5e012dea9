package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.platform.ConsolePage;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's payments pages: the intents (newest first, with a next link), one intent with its transitions, its
 * ledger transfers and its refunds, and a refund form ({@code payments.manage} with step-up), which calls the same
 * {@link PaymentIntents#refund} as the merchant API, so the limits, the ledger transfers, the webhook and the audit
 * entry are the API's.
 *
 * <p>Security guarantees: merchant-chosen text (description, metadata) is printed escaped; no card data exists here to
 * print (a card payment shows its token only); no script.
 */
@Controller
@ConsolePage
class PaymentsConsole {
    static final String PAYMENTS = "/console/payments";
    static final int PAGE_SIZE = 50;
    /** Characters of the amount field read at most. */
    static final int FIELD_CHARS_MAX = 20;

    private final PaymentIntents intents;
    private final Ledger ledger;

    PaymentsConsole(PaymentIntents intents, Ledger ledger) {
        this.intents = intents;
        this.ledger = ledger;
    }

    /** A ledger transfer as the page shows it. */
    record TransferRow(String id, String purpose, long amount, String debitAccount, String creditAccount, String state, String at) {
    }

    @GetMapping(PAYMENTS)
    @RequiresPermission(Permission.PAYMENTS_READ)
    String list(@RequestParam(name = "after", required = false) String after, Model model) {
        Optional<PaymentIntentId> from = Optional.ofNullable(after).flatMap(PaymentIntentId::parse);
        List<PaymentIntent> page = intents.page(Optional.empty(), from, PAGE_SIZE);
        model.addAttribute("intents", page);
        model.addAttribute("next", page.size() == PAGE_SIZE ? page.getLast().id().value() : null);
        return "console/payments";
    }

    @GetMapping(PAYMENTS + "/{id}")
    @RequiresPermission(Permission.PAYMENTS_READ)
    String intent(@PathVariable("id") String id, @RequestParam(name = "outcome", required = false) String outcome, Model model) {
        PaymentIntent intent = intents.find(IntentRequests.pathId(id)).orElseThrow(PaymentIntents::notFound);
        model.addAttribute("intent", intent);
        model.addAttribute("transitions", intents.transitions(intent.id()));
        model.addAttribute("transfers", intents.transfers(intent.id()).stream().map(transfer -> {
            var recorded = ledger.transfer(new TransferId(transfer.transferId()));
            return new TransferRow(transfer.transferId().toString(), transfer.purpose(), transfer.amount(),
                    recorded.map(t -> t.debitAccount().toString()).orElse("?"), recorded.map(t -> t.creditAccount().toString()).orElse("?"),
                    recorded.map(t -> t.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("missing"), IntentJson.time(transfer.at()));
        }).toList());
        model.addAttribute("refunds", intents.refunds(intent.id()));
        model.addAttribute("refundable", intent.status() == IntentStatus.SUCCEEDED ? intent.amountReceived() - intent.amountRefunded() : 0);
        model.addAttribute("canRefund", Caller.current().holds(Permission.PAYMENTS_MANAGE)
                && intent.status() == IntentStatus.SUCCEEDED && intent.amountReceived() > intent.amountRefunded());
        model.addAttribute("message", "refunded".equals(outcome) ? "Refunded: the refund is new ledger transfers and the merchant was notified." : null);
        return "console/payment";
    }

    @PostMapping(PAYMENTS + "/{id}/refunds")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String refund(@PathVariable("id") String id, @RequestParam(name = "amount", defaultValue = "") String amount) {
        PaymentIntentId intent = IntentRequests.pathId(id);
        Optional<Long> value = Optional.empty();
        if (!amount.isBlank()) {
            try {
                value = Optional.of(Long.parseLong(amount.strip().length() > FIELD_CHARS_MAX ? "x" : amount.strip()));
            } catch (NumberFormatException e) {
                throw IntentRequests.invalid("amount", "is a whole number of minor units");
            }
        }
        String actor = Caller.current().actorId();
        intents.refund(Optional.empty(), intent, value, actor, Optional.of(actor));
        return "redirect:" + PAYMENTS + "/" + intent.value() + "?outcome=refunded";
    }
}
