package dev.capsule.server.payments.internal.intents;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's JSON of an intent and a refund (docs/payments.md), built from parsed values only. The merchant sees the
 * payer only as the pairwise id it named, never the platform's user id.
 */
@Component
class IntentJson {
    private final JsonMapper json;

    IntentJson(JsonMapper json) {
        this.json = json;
    }

    ObjectNode intent(PaymentIntent intent) {
        ObjectNode node = json.createObjectNode();
        node.put("id", intent.id().value());
        node.put("object", "payment_intent");
        node.put("status", intent.status().wire());
        node.put("amount", intent.amount());
        node.put("currency", intent.currency());
        node.put("captureMethod", intent.captureMethod().wire());
        node.put("amountCapturable", intent.amountCapturable());
        node.put("amountReceived", intent.amountReceived());
        node.put("amountRefunded", intent.amountRefunded());
        node.put("appId", intent.app().value());
        node.put("payer", intent.payerAppUser().orElse(null));
        node.put("description", intent.description());
        node.put("prepayId", intent.prepay().value());
        node.put("paymentMethod", intent.paymentMethod().orElse(null));
        intent.lastError().ifPresent(code -> node.putObject("lastError").put("code", code));
        if (intent.status() == IntentStatus.REQUIRES_ACTION) {
            // Only the cardholder can answer the issuer, in the host's payment sheet; the merchant waits for the outcome.
            node.putObject("nextAction").put("type", "payer_authentication");
        }
        intent.cancellationReason().ifPresent(reason -> node.put("cancellationReason", reason));
        ObjectNode metadata = node.putObject("metadata");
        intent.metadata().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));
        node.put("created", time(intent.created()));
        node.put("expiresAt", time(intent.expiresAt()));
        return node;
    }

    ObjectNode refund(IntentStore.Refund refund) {
        ObjectNode node = json.createObjectNode();
        node.put("id", refund.id().value());
        node.put("object", "refund");
        node.put("paymentIntent", refund.intent().value());
        node.put("amount", refund.amount());
        node.put("currency", refund.currency());
        node.put("status", refund.status());
        node.put("created", time(refund.created()));
        return node;
    }

    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
