package dev.capsule.server.keys.internal;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the public inventory of keys (no key material): for {@code GET /api/v1/keys} and {@code capsule keys list}. */
@Component
class KeyInventory {
    /** Keys listed at most (a few per purpose per rotation; far above any real count). */
    static final int ROWS_MAX = 1_000;

    private final JdbcClient jdbc;

    KeyInventory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One key.
     *
     * @param keyId  8-hex Tink key id (data keys) or 64-hex KeyId (signing keys)
     * @param status primary, enabled (still decrypts or verifies), retired (disabled) or destroyed
     */
    record Key(String purpose, String keyId, String status, Instant createdAt, Instant statusAt) {
    }

    List<Key> all() {
        return jdbc.sql("""
                SELECT purpose, key_id, status, created_at, status_at FROM keys_inventory
                ORDER BY purpose, status = 'primary' DESC, created_at DESC LIMIT :n""").param("n", ROWS_MAX)
                .query((rs, n) -> new Key(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()))
                .list();
    }
}
