package dev.capsule.server.payments.internal.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.Purges;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.CapsuleServerTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@link IdempotentRequests} on the real PostgreSQL: Stripe's semantics (replay of the stored status and body, 409
 * while the first runs, 422 for other parameters, 400 without a key), the effect and its record in one transaction
 * (a rolled-back or crashed effect leaves no record, a retry runs it once), stored 4xx problems, 24 h retention and
 * the clean-up. The effect writes rows of a test-owned table, so "ran once" is counted in the database.
 */
@CapsuleServerTest
class IdempotentRequestsTest {
    private static final String FINGERPRINT = RequestFingerprint.of("POST", "/merchant/v1/things", "{\"amount\":100}");
    private static final ProblemType TEST_REFUSAL = new ProblemType("test-refusal", HttpStatus.PAYMENT_REQUIRED, "Test refusal");

    @Autowired
    IdempotentRequests requests;
    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;

    String scope;

    @BeforeEach
    void setUp() {
        jdbc.sql("CREATE TABLE IF NOT EXISTS idempotency_test_effect (scope text NOT NULL, n int NOT NULL)").update();
        scope = "merchant:test-" + UUID.randomUUID();
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheStoredStatusBodyAndLocationWithoutRunningTheEffectAgain() {
        ResponseEntity<JsonNode> first = requests.run(scope, "key-1", FINGERPRINT, created("pi_first"));
        ResponseEntity<JsonNode> again = requests.run(scope, "key-1", FINGERPRINT, created("pi_second"));

        assertThat(effects()).isEqualTo(1);
        assertThat(first.getHeaders().getFirst(JdbcIdempotentRequests.REPLAYED_HEADER)).isNull();
        assertThat(again.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(again.getBody().get("id").asString()).isEqualTo("pi_first");
        assertThat(again.getHeaders().getLocation()).isEqualTo(URI.create("/merchant/v1/things/pi_first"));
        assertThat(again.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(again.getHeaders().getFirst(JdbcIdempotentRequests.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void keysAreSeparateForEachScopeAndEachKey() {
        requests.run(scope, "key-1", FINGERPRINT, created("pi_a"));
        ResponseEntity<JsonNode> otherKey = requests.run(scope, "key-2", FINGERPRINT, created("pi_b"));
        ResponseEntity<JsonNode> otherScope = requests.run(scope + "-other", "key-1", FINGERPRINT, created("pi_c"));

        assertThat(otherKey.getBody().get("id").asString()).isEqualTo("pi_b");
        assertThat(otherScope.getBody().get("id").asString()).isEqualTo("pi_c");
        assertThat(otherScope.getHeaders().getFirst(JdbcIdempotentRequests.REPLAYED_HEADER)).isNull();
    }

    @Test
    void theSameKeyWithDifferentParametersIsRefusedWith422AndRunsNothing() {
        requests.run(scope, "key-1", FINGERPRINT, created("pi_a"));
        String otherBody = RequestFingerprint.of("POST", "/merchant/v1/things", "{\"amount\":101}");
        String otherPath = RequestFingerprint.of("POST", "/merchant/v1/refunds", "{\"amount\":100}");

        assertProblem(() -> requests.run(scope, "key-1", otherBody, created("pi_b")), IdempotencyProblems.KEY_REUSED, 422);
        assertProblem(() -> requests.run(scope, "key-1", otherPath, created("pi_b")), IdempotencyProblems.KEY_REUSED, 422);
        assertThat(effects()).isEqualTo(1);
    }

    @Test
    void aMissingOrMalformedKeyIsRefusedWith400BeforeAnythingRuns() {
        assertProblem(() -> requests.run(scope, null, FINGERPRINT, created("pi_a")), IdempotencyProblems.KEY_MISSING, 400);
        assertProblem(() -> requests.run(scope, "", FINGERPRINT, created("pi_a")), IdempotencyProblems.KEY_MISSING, 400);
        assertProblem(() -> requests.run(scope, "a".repeat(IdempotentRequests.KEY_CHARS_MAX + 1), FINGERPRINT, created("pi_a")),
                IdempotencyProblems.KEY_INVALID, 400);
        assertProblem(() -> requests.run(scope, "two words", FINGERPRINT, created("pi_a")), IdempotencyProblems.KEY_INVALID, 400);
        assertProblem(() -> requests.run(scope, "line\nbreak", FINGERPRINT, created("pi_a")), IdempotencyProblems.KEY_INVALID, 400);
        assertThat(effects()).isZero();
        // The longest key is accepted.
        requests.run(scope, "a".repeat(IdempotentRequests.KEY_CHARS_MAX), FINGERPRINT, created("pi_a"));
        assertThat(effects()).isEqualTo(1);
    }

    @Test
    void aRequestWithTheKeyOfARequestStillRunningGets409AndARetryAfterwardsIsAReplay() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<ResponseEntity<JsonNode>> first = CompletableFuture.supplyAsync(() -> requests.run(scope, "key-1",
                FINGERPRINT, () -> {
                    ResponseEntity<JsonNode> response = created("pi_first").get();
                    running.countDown();
                    await(release);
                    return response;
                }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        assertProblem(() -> requests.run(scope, "key-1", FINGERPRINT, created("pi_second")), IdempotencyProblems.KEY_IN_USE, 409);
        // Another key of the same scope is not held up by it.
        assertThat(requests.run(scope, "key-2", FINGERPRINT, created("pi_other")).getStatusCode().value()).isEqualTo(201);

        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).getBody().get("id").asString()).isEqualTo("pi_first");
        ResponseEntity<JsonNode> retry = requests.run(scope, "key-1", FINGERPRINT, created("pi_third"));
        assertThat(retry.getBody().get("id").asString()).isEqualTo("pi_first");
        assertThat(retry.getHeaders().getFirst(JdbcIdempotentRequests.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(effects()).isEqualTo(2);
    }

    @Test
    void anEffectThatFailsAfterWritingLeavesNeitherItsWritesNorARecordAndARetryRunsItOnce() {
        assertThatThrownBy(() -> requests.run(scope, "key-1", FINGERPRINT, () -> {
            created("pi_lost").get();
            throw new IllegalStateException("the acquirer connection dropped");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(effects()).isZero();
        assertThat(records()).isZero();

        ResponseEntity<JsonNode> retry = requests.run(scope, "key-1", FINGERPRINT, created("pi_retry"));
        assertThat(retry.getBody().get("id").asString()).isEqualTo("pi_retry");
        assertThat(retry.getHeaders().getFirst(JdbcIdempotentRequests.REPLAYED_HEADER)).isNull();
        assertThat(effects()).isEqualTo(1);
    }

    @Test
    void aDatabaseSessionKilledDuringTheEffectLeavesNoRecordAndARetryRunsTheEffectOnce() {
        // The crash: the server's own database session is terminated after the effect wrote (as when the server or its
        // PostgreSQL connection dies mid-request); nothing of the transaction may survive.
        assertThatThrownBy(() -> requests.run(scope, "key-1", FINGERPRINT, () -> {
            ResponseEntity<JsonNode> response = created("pi_lost").get();
            jdbc.sql("SELECT pg_terminate_backend(pg_backend_pid())").query(Boolean.class).single();
            return response;
        })).isInstanceOf(RuntimeException.class);
        assertThat(effects()).isZero();
        assertThat(records()).isZero();

        assertThat(requests.run(scope, "key-1", FINGERPRINT, created("pi_retry")).getBody().get("id").asString())
                .isEqualTo("pi_retry");
        assertThat(requests.run(scope, "key-1", FINGERPRINT, created("pi_again")).getBody().get("id").asString())
                .isEqualTo("pi_retry");
        assertThat(effects()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsNotStoredAndRollsTheEffectBack() {
        ResponseEntity<JsonNode> failed = requests.run(scope, "key-1", FINGERPRINT, () -> {
            created("pi_lost").get();
            return ResponseEntity.status(503).body(JsonNodeFactory.instance.objectNode().put("error", "unavailable"));
        });
        assertThat(failed.getStatusCode().value()).isEqualTo(503);
        assertThat(effects()).isZero();
        assertThat(records()).isZero();
    }

    @Test
    void aProblemTheEffectThrowsIsStoredAndReplayedWhileTheEffectsWritesAreRolledBack() {
        Supplier<ResponseEntity<JsonNode>> declining = () -> {
            created("pi_declined").get();
            throw new ProblemException(TEST_REFUSAL, "the card was declined");
        };
        assertProblem(() -> requests.run(scope, "key-1", FINGERPRINT, declining), TEST_REFUSAL, 402);
        assertThat(effects()).isZero();
        assertThat(records()).isEqualTo(1);

        ResponseEntity<JsonNode> replay = requests.run(scope, "key-1", FINGERPRINT, created("pi_never"));
        assertThat(replay.getStatusCode().value()).isEqualTo(402);
        assertThat(replay.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(replay.getBody().get("type").asString()).isEqualTo(TEST_REFUSAL.uri().toString());
        assertThat(replay.getBody().get("detail").asString()).isEqualTo("the card was declined");
        assertThat(effects()).isZero();
    }

    @Test
    void aRecordIsReplayedFor24HoursThenTheKeyRunsAgainAndTheCleanupDeletesOnlyExpiredRecords() {
        requests.run(scope, "old", FINGERPRINT, created("pi_old"));
        requests.run(scope, "live", FINGERPRINT, created("pi_live"));
        Long hours = jdbc.sql("SELECT round(extract(epoch FROM expires_at - created_at) / 3600) FROM payments_idempotency "
                + "WHERE scope = :scope AND idempotency_key = 'live'").param("scope", scope).query(Long.class).single();
        assertThat(hours).isEqualTo(24);
        jdbc.sql("UPDATE payments_idempotency SET expires_at = clock_timestamp() - interval '1 second' "
                + "WHERE scope = :scope AND idempotency_key = 'old'").param("scope", scope).update();

        assertThat(requests.run(scope, "old", FINGERPRINT, created("pi_new")).getBody().get("id").asString()).isEqualTo("pi_new");
        assertThat(requests.run(scope, "live", FINGERPRINT, created("pi_x")).getBody().get("id").asString()).isEqualTo("pi_live");

        jdbc.sql("UPDATE payments_idempotency SET expires_at = clock_timestamp() - interval '1 second' "
                + "WHERE scope = :scope AND idempotency_key = 'old'").param("scope", scope).update();
        assertThat(purges.run("payments.idempotency").deleted()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT idempotency_key FROM payments_idempotency WHERE scope = :scope").param("scope", scope)
                .query(String.class).list()).containsExactly("live");
    }

    @Test
    void aStoredBodyIsSealedAndOpensOnlyInItsOwnRecord() {
        requests.run(scope, "sealed-a", FINGERPRINT, created("pi_sealed_a"));
        requests.run(scope, "sealed-b", FINGERPRINT, created("pi_sealed_b"));
        byte[] stored = body("sealed-a");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).as("no clear JSON at rest").doesNotContain("pi_sealed_a", "amount");

        jdbc.sql("UPDATE payments_idempotency SET body = :body WHERE scope = :scope AND idempotency_key = 'sealed-b'")
                .param("body", stored).param("scope", scope).update();
        assertThatThrownBy(() -> requests.run(scope, "sealed-b", FINGERPRINT, created("pi_never")))
                .as("a body moved to another record does not open").isInstanceOf(SealedValueException.class);
        assertThat(requests.run(scope, "sealed-a", FINGERPRINT, created("pi_never")).getBody().get("id").asString()).isEqualTo("pi_sealed_a");

        // The moved body never opens, so a later test's merchant-secrets rotation in this shared context would fail on it.
        jdbc.sql("DELETE FROM payments_idempotency WHERE scope = :scope AND idempotency_key = 'sealed-b'").param("scope", scope).update();
    }

    private byte[] body(String key) {
        return jdbc.sql("SELECT body FROM payments_idempotency WHERE scope = :scope AND idempotency_key = :key")
                .param("scope", scope).param("key", key).query(byte[].class).single();
    }

    private Supplier<ResponseEntity<JsonNode>> created(String id) {
        return () -> {
            jdbc.sql("INSERT INTO idempotency_test_effect (scope, n) VALUES (:scope, 1)").param("scope", scope).update();
            return ResponseEntity.created(URI.create("/merchant/v1/things/" + id)).contentType(MediaType.APPLICATION_JSON)
                    .body(JsonNodeFactory.instance.objectNode().put("id", id).put("amount", 100));
        };
    }

    private long effects() {
        return jdbc.sql("SELECT count(*) FROM idempotency_test_effect WHERE scope = :scope").param("scope", scope)
                .query(Long.class).single();
    }

    private long records() {
        return jdbc.sql("SELECT count(*) FROM payments_idempotency WHERE scope = :scope").param("scope", scope)
                .query(Long.class).single();
    }

    private static void assertProblem(Runnable call, ProblemType type, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.type()).isEqualTo(type);
            assertThat(problem.type().status().value()).isEqualTo(status);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
