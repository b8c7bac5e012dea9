package dev.capsule.server.access.internal;

import dev.capsule.server.access.OrganisationBinding;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_key} table (V20). Every statement is bounded: by key id, or by a page size. */
@Repository
class ApiKeyStore {
    static final String COLUMNS = "key_id, name, secret_sha256, permissions, burst_requests, refill_per_minute, "
            + "created_by, created_at, expires_at, approved_by, approved_at, revoked_by, revoked_at, last_used_at, organisation_id";

    private final JdbcClient jdbc;

    ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StoredKey key) {
        jdbc.sql("INSERT INTO api_key (key_id, name, secret_sha256, permissions, burst_requests, refill_per_minute, "
                        + "created_by, created_at, expires_at, organisation_id) VALUES (:keyId, :name, :hash, :permissions, "
                        + ":burst, :refill, :createdBy, :createdAt, :expiresAt, :organisation)")
                .param("keyId", key.keyId())
                .param("name", key.name())
                .param("hash", key.secretSha256())
                .param("permissions", key.permissionCodes().toArray(String[]::new))
                .param("burst", key.rateLimit().burstRequests())
                .param("refill", key.rateLimit().refillPerMinute())
                .param("createdBy", key.createdBy())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .param("expiresAt", Timestamp.from(key.expiresAt()))
                .param("organisation", key.organisation() == null ? null : key.organisation().value(), java.sql.Types.OTHER)
                .update();
    }

    Optional<StoredKey> find(String keyId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_key WHERE key_id = :keyId")
                .param("keyId", keyId)
                .query(ApiKeyStore::row)
                .optional();
    }

    /** Approves a pending, unexpired key; false if it is not (any more) in that state. */
    boolean approve(String keyId, String actorId, Instant at) {
        return jdbc.sql("UPDATE api_key SET approved_by = :actor, approved_at = :at WHERE key_id = :keyId "
                        + "AND approved_at IS NULL AND revoked_at IS NULL AND expires_at > :at AND created_by <> :actor")
                .param("keyId", keyId)
                .param("actor", actorId)
                .param("at", Timestamp.from(at))
                .update() == 1;
    }

    /** Revokes a key not yet revoked; false if it already was. */
    boolean revoke(String keyId, String actorId, Instant at) {
        return jdbc.sql("UPDATE api_key SET revoked_by = :actor, revoked_at = :at WHERE key_id = :keyId AND revoked_at IS NULL")
                .param("keyId", keyId)
                .param("actor", actorId)
                .param("at", Timestamp.from(at))
                .update() == 1;
    }

    /** Keys that are neither revoked nor expired: what the installation limit counts. */
    long countLive(Instant now) {
        return jdbc.sql("SELECT count(*) FROM api_key WHERE revoked_at IS NULL AND expires_at > :now")
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
    }

    /** A page in creation order, starting after the key {@code afterKeyId} (or at the start). */
    List<StoredKey> page(Optional<String> afterKeyId, int limit) {
        String after = afterKeyId.isPresent()
                ? "WHERE (created_at, key_id) > (SELECT created_at, key_id FROM api_key WHERE key_id = :after) "
                : "";
        var statement = jdbc.sql("SELECT " + COLUMNS + " FROM api_key " + after + "ORDER BY created_at, key_id LIMIT :limit")
                .param("limit", limit);
        if (afterKeyId.isPresent()) {
            statement = statement.param("after", afterKeyId.get());
        }
        return statement.query(ApiKeyStore::row).list();
    }

    /**
     * Records a use, at most once a minute per key whatever the number of nodes (the condition is in
     * the statement); returns whether a row was written.
     */
    boolean touch(String keyId) {
        return jdbc.sql("UPDATE api_key SET last_used_at = clock_timestamp() WHERE key_id = :keyId "
                        + "AND (last_used_at IS NULL OR last_used_at < clock_timestamp() - interval '1 minute')")
                .param("keyId", keyId)
                .update() == 1;
    }

    static StoredKey row(ResultSet row, int n) throws SQLException {
        Array permissions = row.getArray("permissions");
        List<String> codes = Arrays.asList((String[]) permissions.getArray());
        return new StoredKey(
                row.getString("key_id"),
                row.getString("name"),
                row.getBytes("secret_sha256"),
                codes,
                new BucketPolicy(row.getInt("burst_requests"), row.getInt("refill_per_minute")),
                row.getString("created_by"),
                instant(row, "created_at"),
                instant(row, "expires_at"),
                row.getString("approved_by"),
                instant(row, "approved_at"),
                row.getString("revoked_by"),
                instant(row, "revoked_at"),
                instant(row, "last_used_at"),
                organisation(row));
    }

    private static OrganisationBinding organisation(ResultSet row) throws SQLException {
        java.util.UUID organisation = row.getObject("organisation_id", java.util.UUID.class);
        return organisation == null ? null : new OrganisationBinding(organisation);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
