package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The merchant API of payment intents, refunds and the balance ({@code /merchant/v1/**}, docs/payments.md "Payment
 * intents"). The caller is the {@link MerchantPrincipal} the signature filter verified; every POST runs through
 * {@link IdempotentRequests} (scope {@code merchant:mch_…}), so the change it makes — the intent, its ledger transfers,
 * its webhook message and its audit entries — commits in one transaction with the stored response.
 *
 * <p>Security guarantees: a merchant reads and changes only its own intents (another merchant's id answers 404 like an
 * unknown one); the payer appears only as the pairwise id the merchant named; nothing here accepts card data.
 */
@RestController
class MerchantIntentController {
    static final String BASE = "/merchant/v1";

    private final PaymentIntents intents;
    private final IntentRequests requests;
    private final IntentJson views;
    private final IdempotentRequests idempotent;
    private final JsonMapper json;

    MerchantIntentController(PaymentIntents intents, IntentRequests requests, IntentJson views, IdempotentRequests idempotent,
            JsonMapper json) {
        this.intents = intents;
        this.requests = requests;
        this.views = views;
        this.idempotent = idempotent;
        this.json = json;
    }

    @PostMapping(BASE + "/payment-intents")
    ResponseEntity<JsonNode> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        return once(key, body, request, () -> {
            PaymentIntent intent = intents.create(merchant, requests.newIntent(body));
            return ResponseEntity.created(URI.create(BASE + "/payment-intents/" + intent.id().value())).body(views.intent(intent));
        });
    }

    @GetMapping(BASE + "/payment-intents/{id}")
    JsonNode get(@PathVariable("id") String id) {
        return views.intent(intents.ofMerchant(MerchantPrincipal.current().merchant(), IntentRequests.pathId(id)));
    }

    @GetMapping(BASE + "/payment-intents")
    JsonNode list(@RequestParam("limit") Optional<Integer> limit, @RequestParam("startingAfter") Optional<String> startingAfter) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        int size = IntentRequests.limit(limit);
        Optional<PaymentIntentId> after = startingAfter.map(text -> intents.ofMerchant(merchant, IntentRequests.pathId(text)).id());
        List<PaymentIntent> page = intents.page(Optional.of(merchant), after, size + 1);
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        ArrayNode data = node.putArray("data");
        page.stream().limit(size).forEach(intent -> data.add(views.intent(intent)));
        node.put("hasMore", page.size() > size);
        return node;
    }

    @PostMapping(BASE + "/payment-intents/{id}/confirm")
    ResponseEntity<JsonNode> confirm(@PathVariable("id") String id, @RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        return once(key, body, request, () -> ResponseEntity.ok(views.intent(
                intents.confirmByMerchant(merchant, IntentRequests.pathId(id), requests.confirm(body)))));
    }

    @PostMapping(BASE + "/payment-intents/{id}/capture")
    ResponseEntity<JsonNode> capture(@PathVariable("id") String id, @RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        return once(key, body, request, () -> ResponseEntity.ok(views.intent(
                intents.capture(merchant, IntentRequests.pathId(id), requests.capture(body)))));
    }

    @PostMapping(BASE + "/payment-intents/{id}/cancel")
    ResponseEntity<JsonNode> cancel(@PathVariable("id") String id, @RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        return once(key, body, request, () -> {
            requests.cancel(body);
            return ResponseEntity.ok(views.intent(intents.cancel(merchant, IntentRequests.pathId(id))));
        });
    }

    @PostMapping(BASE + "/refunds")
    ResponseEntity<JsonNode> refund(@RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        MerchantId merchant = MerchantPrincipal.current().merchant();
        return once(key, body, request, () -> {
            IntentRequests.RefundRequest refund = requests.refund(body);
            IntentStore.Refund created = intents.refund(Optional.of(merchant), refund.intent(), refund.amount(),
                    MerchantPrincipal.ACTOR_PREFIX + merchant.value(), Optional.empty());
            return ResponseEntity.status(HttpStatus.CREATED).body(views.refund(created));
        });
    }

    @GetMapping(BASE + "/balance")
    JsonNode balance() {
        ObjectNode node = json.createObjectNode();
        node.put("object", "balance");
        ArrayNode available = node.putArray("available");
        ArrayNode pending = node.putArray("pending");
        for (PaymentIntents.Balance balance : intents.merchantBalance(MerchantPrincipal.current().merchant())) {
            available.addObject().put("amount", balance.available()).put("currency", balance.currency());
            pending.addObject().put("amount", balance.pending()).put("currency", balance.currency());
        }
        return node;
    }

    private ResponseEntity<JsonNode> once(String key, byte[] body, HttpServletRequest request, Supplier<ResponseEntity<JsonNode>> effect) {
        String scope = MerchantPrincipal.ACTOR_PREFIX + MerchantPrincipal.current().merchant().value();
        return idempotent.run(scope, key, fingerprint(request, body), effect);
    }

    /** What makes two requests "the same" for idempotency: method, path and the SHA-256 of the body. */
    static String fingerprint(HttpServletRequest request, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            return request.getMethod() + " " + request.getRequestURI() + " " + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
