package dev.capsule.server.payments.internal.idempotency;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.platform.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link IdempotentRequests} on PostgreSQL (V93, {@code payments_idempotency}).
 *
 * <p>How one request runs, all in one transaction: (1) {@code pg_try_advisory_xact_lock} on a 64-bit hash of
 * (scope, key) — held until commit or rollback, on whichever node, so a second request with the key while the first
 * runs gets 409 at once instead of waiting or running twice; (2) a stored, unexpired record for the key is replayed
 * (or refused with 422 when its fingerprint differs); (3) otherwise the effect runs and its response is inserted;
 * the commit makes the effect and the record visible together. A retry after the first committed finds the record
 * (the lock is taken before the read, so the read sees every committed record); after a crash or rollback it finds
 * neither and runs the effect once.
 *
 * <p>A {@link ProblemException} with a 4xx status from the effect is stored too (Stripe stores such answers): the
 * effect's transaction rolls back with its writes, then a transaction of its own takes the key's lock again and records
 * the problem — unless another request with the key got in between, whose effect and record then stand — and the
 * exception is rethrown for the platform to answer. (Rolling back the whole transaction, rather than to a savepoint
 * taken before the effect, spares every request that succeeds a savepoint's round trip.) That needs the transaction
 * to be this class's own: called inside a caller's transaction, {@code run} joins it and a thrown problem is not stored
 * (the caller's transaction decides). Anything else thrown, and a returned 5xx, roll back the effect and store nothing.
 *
 * <p>A stored body is sealed with {@link FieldEncryption} (purpose {@link DataPurpose#MERCHANT_SECRETS}) at
 * {@link #bodyPlace}, bound to its (scope, key): first responses can carry secrets shown once (a webhook endpoint's
 * {@code whsec_…} secret), which must not sit in clear in the database for 24 hours. {@link IdempotencyBodyHolder}
 * reseals them when those keys rotate, so retirement never makes a record that can still be replayed unreadable.
 *
 * <p>Security guarantees: at most one effect commits per (scope, key) within {@link #RETENTION}; the record and the
 * effect commit atomically; keys are compared only within their scope; the stored fingerprint is a SHA-256, the key
 * itself is stored but never logged; the stored response body is sealed, and a body moved to another record does not
 * open.
 */
@Component
class JdbcIdempotentRequests implements IdempotentRequests {
    /** How long a response is replayed (Stripe: 24 hours); older records are ignored and deleted. */
    static final Duration RETENTION = Duration.ofHours(24);
    /**
     * Largest response body stored, in bytes; a larger one fails the request (fail closed) rather than go unrecorded.
     * Sealing adds 33 bytes (key prefix, nonce, tag) and the column holds at most 65,536, so this leaves headroom.
     */
    static final int RESPONSE_BYTES_MAX = 65_536 - 64;
    /** Longest scope ({@code merchant:mch_…}, {@code apikey:…}, {@code operator:…}). */
    static final int SCOPE_CHARS_MAX = 128;
    /** The response header set on a replayed answer (as Stripe's {@code Idempotent-Replayed}). */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1," + KEY_CHARS_MAX + "}");
    private static final byte[] LOCK_NAMESPACE = "capsule/payments/idempotency\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROW_NAMESPACE = "capsule/payments/idempotency-row\n".getBytes(StandardCharsets.UTF_8);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final FieldEncryption fields;

    JdbcIdempotentRequests(JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper json, FieldEncryption fields) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.fields = fields;
    }

    @Override
    public ResponseEntity<JsonNode> run(String scope, String key, String fingerprint, Supplier<ResponseEntity<JsonNode>> effect) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(effect, "effect");
        if (scope.isEmpty() || scope.length() > SCOPE_CHARS_MAX) {
            throw new IllegalArgumentException("an idempotency scope has 1 to " + SCOPE_CHARS_MAX + " characters");
        }
        String checkedKey = checkedKey(key);
        byte[] print = Sha256.of(fingerprint.getBytes(StandardCharsets.UTF_8)).bytes();
        Outcome outcome = transactions.execute(status -> attempt(status, scope, checkedKey, print, effect));
        return switch (Objects.requireNonNull(outcome, "outcome")) {
            case Outcome.Answered answered -> answered.response();
            case Outcome.Refused refused -> {
                try {
                    transactions.executeWithoutResult(status -> recordRefusal(scope, checkedKey, print, refused.problem()));
                } catch (RuntimeException notRecorded) {
                    // The answer is still the effect's: a retry then runs the effect again, as after a crash.
                    refused.problem().addSuppressed(notRecorded);
                }
                throw refused.problem();
            }
        };
    }

    /** The key as sent, or the 400 that says what is wrong with it. */
    static String checkedKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new ProblemException(IdempotencyProblems.KEY_MISSING,
                    "send an Idempotency-Key header with a value unique to this operation (a UUID, say) with every POST");
        }
        if (!KEY.matcher(key).matches()) {
            throw new ProblemException(IdempotencyProblems.KEY_INVALID,
                    "an Idempotency-Key is 1 to " + KEY_CHARS_MAX + " visible ASCII characters (no spaces)");
        }
        return key;
    }

    private Outcome attempt(TransactionStatus status, String scope, String key, byte[] print,
            Supplier<ResponseEntity<JsonNode>> effect) {
        switch (claim(scope, key)) {
            case Claim.Busy busy -> throw new ProblemException(IdempotencyProblems.KEY_IN_USE,
                    "another request with this Idempotency-Key is still running; retry after it has answered");
            case Claim.Recorded recorded -> {
                if (!MessageDigest.isEqual(recorded.stored().fingerprint(), print)) {
                    throw new ProblemException(IdempotencyProblems.KEY_REUSED,
                            "this Idempotency-Key was used in the last 24 hours for a request with another method, path or body; "
                                    + "use a new key for a new operation");
                }
                return new Outcome.Answered(replay(recorded.stored(), bodyPlace(scope, key)));
            }
            case Claim.Free free -> {
                // the effect runs below
            }
        }
        ResponseEntity<JsonNode> response;
        try {
            response = effect.get();
        } catch (ProblemException problem) {
            if (!problem.type().status().is4xxClientError() || !status.isNewTransaction()) {
                throw problem;
            }
            status.setRollbackOnly();
            return new Outcome.Refused(problem);
        }
        if (response == null) {
            throw new IllegalStateException("an idempotent effect returned no response");
        }
        int code = response.getStatusCode().value();
        if (code < 200 || code > 499) {
            status.setRollbackOnly();
            return new Outcome.Answered(response);
        }
        HttpHeaders headers = response.getHeaders();
        MediaType type = headers.getContentType();
        String location = headers.getLocation() == null ? null : headers.getLocation().toString();
        byte[] body = response.getBody() == null ? new byte[0] : json.writeValueAsBytes(response.getBody());
        insert(scope, key, print, code, type == null ? null : type.toString(), location, body);
        return new Outcome.Answered(response);
    }

    /** Stores the effect's 4xx answer, in its own transaction, if the key is still free. */
    private void recordRefusal(String scope, String key, byte[] print, ProblemException problem) {
        if (claim(scope, key) instanceof Claim.Free) {
            insert(scope, key, print, problem.type().status().value(), MediaType.APPLICATION_PROBLEM_JSON_VALUE, null,
                    json.writeValueAsBytes(problemBody(problem)));
        }
    }

    /**
     * Takes the key's lock for this transaction and reads its record. The lock is taken before the read, so the read
     * sees every committed record; an expired record is deleted (under the lock no one else is deleting it).
     */
    private Claim claim(String scope, String key) {
        boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)").param("lock", lockId(scope, key))
                .query(Boolean.class).single();
        if (!locked) {
            return new Claim.Busy();
        }
        // One read finds a live record or an expired one (the key is free again then).
        Optional<Stored> stored = jdbc.sql("""
                        SELECT fingerprint, status, content_type, location, body, expires_at > clock_timestamp() FROM payments_idempotency
                        WHERE scope = :scope AND idempotency_key = :key""")
                .param("scope", scope).param("key", key)
                .query((row, n) -> new Stored(row.getBytes(1), row.getInt(2), row.getString(3), row.getString(4), row.getBytes(5), row.getBoolean(6)))
                .optional();
        if (stored.isPresent() && stored.get().live()) {
            return new Claim.Recorded(stored.get());
        }
        if (stored.isPresent()) {
            jdbc.sql("DELETE FROM payments_idempotency WHERE scope = :scope AND idempotency_key = :key")
                    .param("scope", scope).param("key", key).update();
        }
        return new Claim.Free();
    }

    private void insert(String scope, String key, byte[] print, int status, String contentType, String location, byte[] body) {
        if (body.length > RESPONSE_BYTES_MAX) {
            throw new IllegalStateException("an idempotent response of " + body.length + " bytes exceeds the "
                    + RESPONSE_BYTES_MAX + " bytes that can be stored");
        }
        jdbc.sql("""
                        INSERT INTO payments_idempotency (scope, idempotency_key, fingerprint, status, content_type, location, body,
                                                          created_at, expires_at)
                        VALUES (:scope, :key, :print, :status, :type, :location, :body, clock_timestamp(),
                                clock_timestamp() + make_interval(secs => :seconds))""")
                .param("scope", scope).param("key", key).param("print", print).param("status", status)
                .param("type", contentType).param("location", location)
                .param("body", fields.seal(DataPurpose.MERCHANT_SECRETS, body, bodyPlace(scope, key)))
                .param("seconds", RETENTION.toSeconds())
                .update();
    }

    private ResponseEntity<JsonNode> replay(Stored stored, FieldPlace place) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(stored.status()).header(REPLAYED_HEADER, "true");
        if (stored.contentType() != null) {
            builder.contentType(MediaType.parseMediaType(stored.contentType()));
        }
        if (stored.location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.location());
        }
        byte[] body = fields.open(DataPurpose.MERCHANT_SECRETS, stored.body(), place);
        return builder.body(body.length == 0 ? null : json.readTree(body));
    }

    /** The problem as the platform answers it (RFC 9457 members, then the problem's own properties). */
    private static Map<String, Object> problemBody(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().uri().toString());
        body.put("title", problem.type().title());
        body.put("status", problem.type().status().value());
        body.put("detail", problem.getMessage());
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
            body.put("instance", request.getRequest().getRequestURI());
        }
        body.putAll(problem.properties());
        return body;
    }

    /**
     * Where a record's body is sealed: the row id is the hex SHA-256 of (scope, key) under this class's namespace (a
     * scope and a key together exceed {@link FieldPlace#ROW_ID_CHARS_MAX}), so a body opens only in its own record.
     */
    static FieldPlace bodyPlace(String scope, String key) {
        var digest = Sha256.newDigest();
        digest.update(ROW_NAMESPACE);
        digest.update(scope.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(key.getBytes(StandardCharsets.UTF_8));
        return new FieldPlace("platform", "payments_idempotency", HexFormat.of().formatHex(digest.digest()), "body");
    }

    /** A 64-bit advisory lock id for (scope, key): SHA-256 under this class's namespace, so no other lock collides. */
    static long lockId(String scope, String key) {
        var digest = Sha256.newDigest();
        digest.update(LOCK_NAMESPACE);
        digest.update(scope.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(key.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest.digest()).getLong();
    }

    private record Stored(byte[] fingerprint, int status, String contentType, String location, byte[] body, boolean live) {
    }

    private sealed interface Outcome {
        record Answered(ResponseEntity<JsonNode> response) implements Outcome {
        }

        /** The effect refused with a 4xx problem: its transaction rolls back, then the problem is stored and rethrown. */
        record Refused(ProblemException problem) implements Outcome {
        }
    }

    /** What holding a key's lock found. */
    private sealed interface Claim {
        /** Another transaction holds the key's lock. */
        record Busy() implements Claim {
        }

        /** A live record of the key. */
        record Recorded(Stored stored) implements Claim {
        }

        /** No live record: the key is this transaction's to use. */
        record Free() implements Claim {
        }
    }
}
