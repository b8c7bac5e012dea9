package dev.capsule.server.platform;

import java.util.UUID;
import java.util.regex.Pattern;
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
    /** A note key name: printable, no spaces and no '+' (C2SP signed-note). */
    private static final Pattern NAME = Pattern.compile("[\\x21-\\x2a\\x2c-\\x7e]{1,255}");

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
        if (!NAME.matcher(origin).matches()) {
            throw new IllegalArgumentException("capsule.audit.origin must be 1 to 255 printable ASCII characters without spaces or '+', not "
                    + origin);
        }
        return origin;
    }
}
