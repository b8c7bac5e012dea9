package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/wallet-credits} (permission {@code wallets.fund}): the super-app's backend credits a user's
 * wallet when money arrived from outside (docs/payments.md, "Wallets"). {@code Idempotency-Key} is required, scoped
 * to the caller ({@code apikey:<id>}, {@code operator:<uuid>}), so a retried credit is never paid twice.
 */
@RestController
class WalletCreditController {
    private final PaymentIntents intents;
    private final IntentRequests requests;
    private final IdempotentRequests idempotent;
    private final JsonMapper json;

    WalletCreditController(PaymentIntents intents, IntentRequests requests, IdempotentRequests idempotent, JsonMapper json) {
        this.intents = intents;
        this.requests = requests;
        this.idempotent = idempotent;
        this.json = json;
    }

    @PostMapping("/api/v1/wallet-credits")
    @RequiresPermission(Permission.WALLETS_FUND)
    ResponseEntity<JsonNode> credit(@RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String actor = Caller.current().actorId();
        return idempotent.run(actor, key, MerchantIntentController.fingerprint(request, body), () -> {
            IntentRequests.CreditRequest credit = requests.credit(body);
            long balance = intents.credit(credit.user(), credit.amount(), credit.currency(), actor);
            ObjectNode node = json.createObjectNode();
            node.put("object", "wallet_credit");
            node.put("user", credit.user().value());
            node.put("amount", credit.amount());
            node.put("currency", credit.currency());
            node.put("balance", balance);
            return ResponseEntity.status(HttpStatus.CREATED).body(node);
        });
    }
}
