package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.payments.WebhookEndpointId;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /merchant/v1/webhook-endpoints}: a signed merchant adds, lists, rotates and disables its webhook endpoints
 * (docs/payments.md, "Webhooks"). Every POST goes through {@link IdempotentRequests} under the merchant's scope; the
 * secret of a creation or rotation is in the stored first response, so a retry with the same key gets the same secret
 * (Stripe does the same) and never a second one.
 */
@RestController
class MerchantWebhookController {
    static final String BASE = "/merchant/v1/webhook-endpoints";
    private static final Set<String> CREATE_FIELDS = Set.of("url", "events");
    private static final Set<String> ROTATE_FIELDS = Set.of("previousSecretExpiresInSeconds");

    private final WebhookEndpoints endpoints;
    private final ObjectProvider<IdempotentRequests> idempotency;
    private final JsonMapper json;

    MerchantWebhookController(WebhookEndpoints endpoints, ObjectProvider<IdempotentRequests> idempotency, JsonMapper json) {
        this.endpoints = endpoints;
        this.idempotency = idempotency;
        this.json = json;
    }

    @PostMapping(BASE)
    ResponseEntity<JsonNode> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body) {
        MerchantPrincipal merchant = MerchantPrincipal.current();
        return idempotent().run(MerchantPrincipal.ACTOR_PREFIX + merchant.merchant().value(), key, fingerprint("POST", BASE, body), () -> {
            ObjectNode request = object(body, CREATE_FIELDS);
            String url = request.path("url").isString() ? request.get("url").asString() : null;
            if (url == null) {
                throw invalid("url", "is required and must be a string");
            }
            JsonNode events = request.path("events");
            if (!events.isArray()) {
                throw invalid("events", "is required and must be an array of event types");
            }
            List<String> types = new ArrayList<>();
            for (JsonNode type : events) {
                if (!type.isString()) {
                    throw invalid("events", "must hold strings");
                }
                types.add(type.asString());
            }
            WebhookEndpoints.Created created = endpoints.create(merchant.merchant(), url, types, Optional.empty());
            ObjectNode view = view(created.endpoint());
            view.put("secret", created.secret());
            view.put("publicKey", created.publicKey());
            return ResponseEntity.created(URI.create(BASE + "/" + created.endpoint().id().value())).body(view);
        });
    }

    @GetMapping(BASE)
    JsonNode list() {
        MerchantPrincipal merchant = MerchantPrincipal.current();
        ObjectNode page = json.createObjectNode();
        page.put("object", "list");
        ArrayNode items = page.putArray("data");
        endpoints.list(merchant.merchant()).forEach(endpoint -> items.add(view(endpoint)));
        return page;
    }

    @PostMapping(BASE + "/{id}/rotate-secret")
    ResponseEntity<JsonNode> rotate(@PathVariable("id") String id, @RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body) {
        MerchantPrincipal merchant = MerchantPrincipal.current();
        return idempotent().run(MerchantPrincipal.ACTOR_PREFIX + merchant.merchant().value(), key,
                fingerprint("POST", BASE + "/" + id + "/rotate-secret", body), () -> {
            WebhookEndpointId endpoint = endpointId(id);
            ObjectNode request = body == null || body.length == 0 ? json.createObjectNode() : object(body, ROTATE_FIELDS);
            Duration overlap = WebhookLimits.ROTATION_OVERLAP_DEFAULT;
            JsonNode seconds = request.path("previousSecretExpiresInSeconds");
            if (!seconds.isMissingNode()) {
                if (!seconds.isIntegralNumber() || seconds.asLong() < 0 || seconds.asLong() > WebhookLimits.ROTATION_OVERLAP_MAX.toSeconds()) {
                    throw invalid("previousSecretExpiresInSeconds", "must be an integer from 0 to " + WebhookLimits.ROTATION_OVERLAP_MAX.toSeconds());
                }
                overlap = Duration.ofSeconds(seconds.asLong());
            }
            WebhookEndpoints.Created rotated = endpoints.rotate(merchant.merchant(), endpoint, overlap, Optional.empty());
            ObjectNode view = view(rotated.endpoint());
            view.put("secret", rotated.secret());
            view.put("publicKey", rotated.publicKey());
            return ResponseEntity.ok(view);
        });
    }

    @PostMapping(BASE + "/{id}/disable")
    ResponseEntity<JsonNode> disable(@PathVariable("id") String id, @RequestHeader(name = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body) {
        MerchantPrincipal merchant = MerchantPrincipal.current();
        return idempotent().run(MerchantPrincipal.ACTOR_PREFIX + merchant.merchant().value(), key,
                fingerprint("POST", BASE + "/" + id + "/disable", body), () -> {
            if (body != null && body.length > 0) {
                object(body, Set.of());
            }
            return ResponseEntity.ok(view(endpoints.disable(merchant.merchant(), endpointId(id), "merchant", Optional.empty())));
        });
    }

    /** The one idempotency implementation; without it every POST is refused (fail closed), never run unrecorded. */
    private IdempotentRequests idempotent() {
        IdempotentRequests requests = idempotency.getIfUnique();
        if (requests == null) {
            throw new ProblemException(WebhookProblems.IDEMPOTENCY_UNAVAILABLE, "this server has no idempotency store; changes are refused");
        }
        return requests;
    }

    private ObjectNode view(WebhookEndpoint endpoint) {
        ObjectNode view = json.createObjectNode();
        view.put("id", endpoint.id().value());
        view.put("object", "webhook_endpoint");
        view.put("url", endpoint.url());
        ArrayNode events = view.putArray("events");
        endpoint.events().forEach(events::add);
        view.put("status", endpoint.enabled() ? "enabled" : "disabled");
        endpoint.disabled().ifPresent(reason -> view.put("disabledReason", reason));
        ArrayNode keys = view.putArray("publicKeys");
        endpoint.publicKeys().forEach(keys::add);
        view.put("created", DateTimeFormatter.ISO_INSTANT.format(endpoint.created()));
        return view;
    }

    private ObjectNode object(byte[] body, Set<String> fields) {
        JsonNode parsed;
        try {
            parsed = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body is not valid JSON");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body must be a JSON object");
        }
        for (String name : parsed.propertyNames()) {
            if (!fields.contains(name)) {
                throw new ProblemException(ProblemType.UNKNOWN_FIELD, "unknown field; the fields are " + fields.stream().sorted().toList());
            }
        }
        return (ObjectNode) parsed;
    }

    private static WebhookEndpointId endpointId(String id) {
        return WebhookEndpointId.parse(id).orElseThrow(() -> new ProblemException(WebhookProblems.ENDPOINT_NOT_FOUND,
                "webhook endpoint ids are we_ and 26 base32 characters"));
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                java.util.Map.of("errors", List.of(java.util.Map.of("field", field, "message", message))));
    }

    /** Method, path and SHA-256 of the body: what makes two requests "the same" for {@link IdempotentRequests}. */
    static String fingerprint(String method, String path, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            return method + " " + path + " " + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
