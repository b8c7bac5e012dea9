package dev.capsule.testing.server.payments;

import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * TEST-ONLY stand-in for the merchants helper's {@link IdempotentRequests} until its branch is merged ({@link PaymentsStandIns}
 * registers it only when no such bean exists). Same contract, smallest honest form: the effect runs in a transaction;
 * its 2xx/4xx response is remembered (in memory, not for 24 h across restarts) and replayed; a key in use answers 409,
 * a key reused with other parameters 422, a POST without a key 400; a 5xx rolls back and is not remembered.
 */
public final class StandInIdempotentRequests implements IdempotentRequests {
    static final ProblemType MISSING = new ProblemType("idempotency-key-missing", HttpStatus.BAD_REQUEST, "Idempotency-Key is required");
    static final ProblemType IN_USE = new ProblemType("idempotency-key-in-use", HttpStatus.CONFLICT, "A request with this key is running");
    static final ProblemType REUSED = new ProblemType("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
            "The key was used with other parameters");

    private record Stored(String fingerprint, ResponseEntity<JsonNode> response) {
    }

    private final TransactionTemplate transactions;
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public StandInIdempotentRequests(TransactionTemplate transactions) {
        this.transactions = transactions;
    }

    @Override
    public ResponseEntity<JsonNode> run(String scope, String key, String fingerprint, Supplier<ResponseEntity<JsonNode>> effect) {
        if (key == null || key.isBlank() || key.length() > KEY_CHARS_MAX) {
            throw new ProblemException(MISSING, "a POST needs an Idempotency-Key header of 1-" + KEY_CHARS_MAX + " characters");
        }
        String id = scope + "\n" + key;
        Stored earlier = stored.get(id);
        if (earlier != null) {
            if (!earlier.fingerprint().equals(fingerprint)) {
                throw new ProblemException(REUSED, "this Idempotency-Key was used with another request");
            }
            return earlier.response();
        }
        if (!running.add(id)) {
            throw new ProblemException(IN_USE, "a request with this Idempotency-Key is still running");
        }
        try {
            ResponseEntity<JsonNode> response = transactions.execute(status -> {
                ResponseEntity<JsonNode> answer = effect.get();
                if (answer.getStatusCode().is5xxServerError()) {
                    status.setRollbackOnly();
                }
                return answer;
            });
            if (!response.getStatusCode().is5xxServerError()) {
                stored.put(id, new Stored(fingerprint, response));
            }
            return response;
        } finally {
            running.remove(id);
        }
    }
}
