package dev.capsule.server.audit.internal;

import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.server.platform.RetentionPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit module's purge (the platform's {@link Purge}; docs/retention.md, "Audit details about a person"). */
@Configuration(proxyBeanMethods = false)
class AuditRetention {
    static final String DETAIL_KEYS = "audit.detail-keys";
    /** Month keys one statement destroys (each is its own delete, tombstone and {@code subject-key.erase} entry). */
    static final int KEYS_PER_STATEMENT = 100;
    /** Statements per run: at most 1,000 month keys an hour per node, far more than operators times months. */
    static final int STATEMENTS_PER_RUN = 10;
    static final Duration EVERY_HOUR = Duration.ofHours(1);
    /**
     * A month's key goes once the whole month is older than the period: the month's end (its first day plus a month,
     * UTC) is at or before {@code :cutoff}. So every detail is kept at least the period, and at most a month (plus a
     * run's interval) longer; a key still sealing (the current month's) is never destroyed.
     */
    static final String MONTH_ENDED_BEFORE_CUTOFF = "(month + interval '1 month') AT TIME ZONE 'UTC' <= :cutoff";

    /**
     * The month keys of audit details ({@code audit_detail_keys}, V117) older than {@code capsule.retention.audit-details}
     * (default a year): with each deleted row, in the same transaction, its key is destroyed ({@link SubjectKeys#erase},
     * itself a {@code subject-key.erase} entry), so that person's details of that month no longer open anywhere, backups
     * included, while the log's entries and proofs stay unchanged.
     */
    @Bean
    Purge auditDetailKeysPurge(RetentionPolicies policies, SubjectKeys subjectKeys) {
        return new Purge(DETAIL_KEYS, "audit_detail_keys", MONTH_ENDED_BEFORE_CUTOFF,
                policies.of(RetentionCategory.AUDIT_DETAILS).requiredKeptFor(), KEYS_PER_STATEMENT, STATEMENTS_PER_RUN, EVERY_HOUR)
                .in(RetentionCategory.AUDIT_DETAILS)
                .then(new Purge.AfterDelete(List.of("detail_key"), rows -> destroyKeys(rows, subjectKeys)));
    }

    static void destroyKeys(List<Map<String, Object>> rows, SubjectKeys subjectKeys) {
        for (Map<String, Object> row : rows) {
            subjectKeys.erase((UUID) row.get("detail_key"));
        }
    }
}
