package dev.capsule.server.platform;

import dev.capsule.core.log.NoteKey;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The log's origin: the first line of every checkpoint and the signed note's key name. Setting
 * {@code capsule.audit.origin}; by default {@code capsule.local/audit/<installation id>}, unique per
 * installation so two installations' checkpoints are never confused. Changing it starts a new log as far
 * as verifiers are concerned, so it is read once at start. It lives in the platform module because two
 * modules need the one value: audit signs checkpoints under it, keys publishes the note verifier key named by it.
 */
@Component
public final class LogOrigin {
    /** Checkpoints carry the origin on their first line; a longer one is a configuration mistake. */
    static final int ORIGIN_CHARS_MAX = 255;

    private final String configured;
    private final JdbcClient jdbc;
    private volatile String name;

    public LogOrigin(@Value("${capsule.audit.origin:}") String configured, JdbcClient jdbc) {
        this.configured = configured.strip();
        this.jdbc = jdbc;
        if (!this.configured.isEmpty()) {
            this.name = checked(this.configured);
        }
    }

    /** The origin; the default is read on first use, once the installation record exists. */
    public String name() {
        String known = name;
        if (known == null) {
            known = checked("capsule.local/audit/" + jdbc.sql("SELECT installation_id FROM server_installation").query(UUID.class).single());
            name = known;
        }
        return known;
    }

    private static String checked(String origin) {
        if (origin.length() > ORIGIN_CHARS_MAX || !NoteKey.isValidName(origin)) {
            throw new IllegalArgumentException("capsule.audit.origin must be 1 to " + ORIGIN_CHARS_MAX
                    + " characters without spaces, control characters or '+' (a C2SP signed-note key name), not " + origin);
        }
        return origin;
    }
}
