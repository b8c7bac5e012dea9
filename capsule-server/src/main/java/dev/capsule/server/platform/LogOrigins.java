package dev.capsule.server.platform;

import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The origins of the platform's two transparency logs. It lives in the platform module because several
 * modules need the one value of each: audit and releases sign their checkpoints under theirs, keys publishes
 * the note verifier keys named by them. Two logs never share an origin (a checkpoint of one must never verify
 * as the other's), so equal settings refuse to start.
 */
@Component
public final class LogOrigins {
    private final LogOrigin audit;
    private final LogOrigin releases;

    public LogOrigins(@Value("${capsule.audit.origin:}") String audit, @Value("${capsule.releases.origin:}") String releases, JdbcClient jdbc) {
        if (!audit.isBlank() && audit.strip().equals(releases.strip())) {
            throw new IllegalArgumentException("capsule.audit.origin and capsule.releases.origin must differ: two logs never share an origin");
        }
        this.audit = new LogOrigin("capsule.audit.origin", "audit", audit, () -> installation(jdbc));
        this.releases = new LogOrigin("capsule.releases.origin", "releases", releases, () -> installation(jdbc));
    }

    /** The audit log's origin ({@code capsule.audit.origin}, default {@code capsule.local/audit/<installation id>}). */
    public LogOrigin audit() {
        return audit;
    }

    /** The release log's origin ({@code capsule.releases.origin}, default {@code capsule.local/releases/<installation id>}). */
    public LogOrigin releases() {
        return releases;
    }

    private static UUID installation(JdbcClient jdbc) {
        return jdbc.sql("SELECT installation_id FROM server_installation").query(UUID.class).single();
    }
}
