package dev.capsule.server.compliance.internal;

import dev.capsule.server.audit.AuditLogHead;
import dev.capsule.server.host.SessionIsolation;
import dev.capsule.server.keys.KeyAges;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.releases.ReleaseLogHead;
import dev.capsule.server.tlog.LogHead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Gathers {@link ComplianceEvidence} from the modules' public APIs (keys, audit, releases, host, the platform's purges and
 * residency),
 * the database's own settings and the metrics registry.
 */
@Service
class EvidenceService {
    /** Micrometer names of the platform's retention counters (BoundedPurges), tagged with {@code purge}. */
    static final String DELETED_METRIC = "capsule.retention.deleted";
    static final String FAILURES_METRIC = "capsule.retention.failures";

    private final JdbcClient jdbc;
    private final KeyAges keys;
    private final AuditLogHead auditLog;
    private final ReleaseLogHead releaseLog;
    private final SessionIsolation isolation;
    private final Purges purges;
    private final Residency residency;
    private final MeterRegistry meters;
    private final Clock clock;

    EvidenceService(JdbcClient jdbc, KeyAges keys, AuditLogHead auditLog, ReleaseLogHead releaseLog, SessionIsolation isolation,
            Purges purges, Residency residency, MeterRegistry meters) {
        this.residency = residency;
        this.jdbc = jdbc;
        this.keys = keys;
        this.auditLog = auditLog;
        this.releaseLog = releaseLog;
        this.isolation = isolation;
        this.purges = purges;
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    ComplianceEvidence gather(ComplianceEvidence.Tls tls) {
        Instant now = clock.instant();
        return new ComplianceEvidence(ComplianceEvidence.FORMAT, now, tls, database(),
                new ComplianceEvidence.Sessions(isolation.isolationTier()),
                new ComplianceEvidence.Keys(
                        keys.keyAges().stream().map(k -> new ComplianceEvidence.Key(k.purpose(), k.keyId(), k.status(), k.createdAt(),
                                Duration.between(k.createdAt(), now).toDays(), k.statusAt())).toList(),
                        keys.recentRotations().stream().map(r -> new ComplianceEvidence.Rotation(r.purpose(), r.newKeyId(), r.state(),
                                r.startedAt(), r.finishedAt())).toList()),
                log(auditLog.auditLogHead()), log(releaseLog.releaseLogHead()),
                purges.all().stream().map(p -> new ComplianceEvidence.Retention(p.name(), p.table(), p.keptFor().toString(),
                        p.interval().toSeconds(), count(DELETED_METRIC, p.name()), count(FAILURES_METRIC, p.name()))).toList(),
                residency());
    }

    /** Each region's database and the tag it carries, read now. */
    private ComplianceEvidence.Residency residency() {
        return new ComplianceEvidence.Residency(residency.home().value(), residency.databases().stream().map(database ->
                database.jdbc().sql("SELECT region, tagged_at FROM platform_region_tag")
                        .query((rows, n) -> new ComplianceEvidence.Region(database.region().value(), database.location(),
                                rows.getString("region"), rows.getObject("tagged_at", java.time.OffsetDateTime.class).toInstant()))
                        .single()).toList());
    }

    private ComplianceEvidence.Database database() {
        Map<String, Object> row = jdbc.sql("""
                SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
                       current_setting('synchronous_commit') AS synchronous_commit,
                       current_setting('full_page_writes') AS full_page_writes,
                       current_setting('data_checksums') AS data_checksums, current_setting('ssl') AS ssl,
                       current_setting('password_encryption') AS password_encryption,
                       coalesce((SELECT s.ssl FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()), false) AS connection_tls""")
                .query().singleRow();
        return new ComplianceEvidence.Database((String) row.get("version"), (String) row.get("fsync"),
                (String) row.get("synchronous_commit"), (String) row.get("full_page_writes"), (String) row.get("data_checksums"),
                (String) row.get("ssl"), Boolean.TRUE.equals(row.get("connection_tls")), (String) row.get("password_encryption"));
    }

    private static ComplianceEvidence.Log log(LogHead head) {
        return new ComplianceEvidence.Log(head.entries(), head.checkpointSize(), head.signedCheckpoint().orElse(null));
    }

    private long count(String metric, String purge) {
        Counter counter = meters.find(metric).tag("purge", purge).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
