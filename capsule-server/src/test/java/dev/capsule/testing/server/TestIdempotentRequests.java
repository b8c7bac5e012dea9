package dev.capsule.testing.server;

import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * TEST-ONLY, and only until the merchants branch's real {@link IdempotentRequests} (V93) is in the tree: the smallest
 * honest stand-in so that merchant POST endpoints can be tested in the shared context. {@link Fallback}: as soon as a
 * real implementation is a bean, it is injected everywhere and this one is never used (delete this file then). It keeps
 * replies in memory (not across nodes or restarts, no 409 for a concurrent twin: calls are serialised), runs the effect
 * in a transaction, stores the replies it returns (a thrown problem is not stored), replays them, refuses a different fingerprint with 422 and a missing key
 * with 400.
 */
@Configuration(proxyBeanMethods = false)
public class TestIdempotentRequests {
    private record Stored(String fingerprint, ResponseEntity<JsonNode> response) {
    }

    @Bean
    @Fallback
    IdempotentRequests testOnlyIdempotentRequests(TransactionTemplate transactions) {
        Map<String, Stored> stored = new ConcurrentHashMap<>();
        return new IdempotentRequests() {
            @Override
            public synchronized ResponseEntity<JsonNode> run(String scope, String key, String fingerprint, Supplier<ResponseEntity<JsonNode>> effect) {
                if (key == null || key.isEmpty() || key.length() > KEY_CHARS_MAX) {
                    throw new ProblemException(new ProblemType("idempotency-key-missing", HttpStatus.BAD_REQUEST, "Idempotency-Key required"),
                            "every POST needs an Idempotency-Key header");
                }
                Stored previous = stored.get(scope + "\n" + key);
                if (previous != null) {
                    if (!previous.fingerprint().equals(fingerprint)) {
                        throw new ProblemException(new ProblemType("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
                                "Idempotency-Key reused"), "this key was used for another request");
                    }
                    return previous.response();
                }
                ResponseEntity<JsonNode> response = transactions.execute(status -> effect.get());
                stored.put(scope + "\n" + key, new Stored(fingerprint, response));
                return response;
            }
        };
    }
}
