package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PaymentIntentId;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/payment-intents} (permission {@code payments.read}): every merchant's intents for support and
 * reconciliation, and one intent with its transitions, ledger transfers and refunds (docs/payments.md).
 */
@RestController
class OperatorIntentController {
    private final PaymentIntents intents;
    private final IntentJson views;
    private final Ledger ledger;
    private final JsonMapper json;

    OperatorIntentController(PaymentIntents intents, IntentJson views, Ledger ledger, JsonMapper json) {
        this.intents = intents;
        this.views = views;
        this.ledger = ledger;
        this.json = json;
    }

    @GetMapping("/api/v1/payment-intents")
    @RequiresPermission(Permission.PAYMENTS_READ)
    JsonNode list(@RequestParam("limit") Optional<Integer> limit, @RequestParam("startingAfter") Optional<String> startingAfter,
            @RequestParam("merchant") Optional<String> merchant) {
        int size = IntentRequests.limit(limit);
        Optional<MerchantId> of = merchant.map(text -> MerchantId.parse(text)
                .orElseThrow(() -> IntentRequests.invalid("merchant", "is not a merchant id (mch_…)")));
        Optional<PaymentIntentId> after = startingAfter.map(IntentRequests::pathId);
        List<PaymentIntent> page = intents.page(of, after, size + 1);
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        ArrayNode data = node.putArray("data");
        page.stream().limit(size).forEach(intent -> data.add(views.intent(intent).put("merchant", intent.merchant().value())));
        node.put("hasMore", page.size() > size);
        return node;
    }

    @GetMapping("/api/v1/payment-intents/{id}")
    @RequiresPermission(Permission.PAYMENTS_READ)
    JsonNode get(@PathVariable("id") String id) {
        PaymentIntent intent = intents.find(IntentRequests.pathId(id)).orElseThrow(PaymentIntents::notFound);
        ObjectNode node = views.intent(intent).put("merchant", intent.merchant().value());
        ArrayNode transitions = node.putArray("transitions");
        intents.transitions(intent.id()).forEach(transition -> transitions.addObject()
                .put("from", transition.from().wire()).put("to", transition.to().wire())
                .put("reason", transition.reason()).put("at", IntentJson.time(transition.at())));
        ArrayNode transfers = node.putArray("ledgerTransfers");
        intents.transfers(intent.id()).forEach(transfer -> {
            ObjectNode item = transfers.addObject().put("id", transfer.transferId().toString()).put("purpose", transfer.purpose())
                    .put("amount", transfer.amount()).put("at", IntentJson.time(transfer.at()));
            ledger.transfer(new TransferId(transfer.transferId())).ifPresent(recorded -> item
                    .put("debitAccount", recorded.debitAccount().toString()).put("creditAccount", recorded.creditAccount().toString())
                    .put("state", recorded.state().name().toLowerCase(java.util.Locale.ROOT)));
        });
        ArrayNode refunds = node.putArray("refunds");
        intents.refunds(intent.id()).forEach(refund -> refunds.add(views.refund(refund)));
        return node;
    }
}
