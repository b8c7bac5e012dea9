package dev.capsule.server.platform.internal;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The installation record: one row, written by the first server node that starts against a fresh
 * database. Its existence is the first-start marker, race-free across nodes that start together
 * (INSERT ... ON CONFLICT: exactly one node's insert takes effect).
 */
@Component
class Installation {
    private final JdbcClient jdbc;

    Installation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records this installation unless it is recorded; true when this call recorded it (the first start). */
    boolean recordFirstStart() {
        int inserted = jdbc.sql("INSERT INTO server_installation (installation_id) VALUES (:id) ON CONFLICT DO NOTHING")
                .param("id", UUID.randomUUID())
                .update();
        return inserted == 1;
    }

    UUID id() {
        return jdbc.sql("SELECT installation_id FROM server_installation").query(UUID.class).single();
    }
}
