package dev.capsule.server.payments.internal.idempotency;

import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on every merchant POST (Stripe's semantics): the first response (status and body) is stored
 * for 24 h and replayed to a retry; a request with the same key while the first is running gets 409
 * ({@code idempotency-key-in-use}); the same key with a different method, path or body gets 422
 * ({@code idempotency-key-reused}); a POST without the header gets 400 ({@code idempotency-key-missing}).
 *
 * <p>Security guarantees: {@code effect} runs inside the transaction that records the key and its response, so the
 * effect and the record commit together: a retry after a crash finds either both (and replays) or neither (and runs
 * once). A 5xx is not stored (the transaction rolls back). Keys are per merchant: another merchant's key never
 * collides.
 */
public interface IdempotentRequests {
    /** Longest key accepted (Stripe: 255). */
    int KEY_CHARS_MAX = 255;

    /**
     * Runs {@code effect} at most once for ({@code scope}, {@code key}).
     *
     * @param scope       whose key it is: the caller's actor id ({@code merchant:mch_…} for a merchant,
     *                    {@code apikey:<id>} for a super-app's API key)
     * @param fingerprint what makes two requests "the same": method, path and SHA-256 of the body (the caller builds it)
     * @param effect      the endpoint's work, in this transaction; its 2xx and 4xx answers are stored
     */
    ResponseEntity<JsonNode> run(String scope, String key, String fingerprint, Supplier<ResponseEntity<JsonNode>> effect);
}
