package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.server.platform.RetentionPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The host module's purges (the platform's {@link Purge}; docs/retention.md). */
@Configuration(proxyBeanMethods = false)
class HostRetention {
    static final Duration EVERY_TEN_MINUTES = Duration.ofMinutes(10);
    /** Storage areas one statement of {@code host.storage-unused} erases (each area's records are deleted one by one). */
    static final int AREAS_PER_STATEMENT = 50;
    /** Statements of {@code host.storage-unused} per run: at most 500 areas an hour per node. */
    static final int STORAGE_STATEMENTS_PER_RUN = 10;

    /**
     * Shell sessions the sessions policy's period ({@code capsule.retention.sessions}, default a day) after they expired
     * (a lookup already refuses an expired one).
     */
    @Bean
    Purge shellSessionPurge(RetentionPolicies policies) {
        return new Purge("host.shell-sessions", "host_shell_sessions", "expires_at <= :cutoff", sessionsKeptFor(policies), 5_000, 10,
                EVERY_TEN_MINUTES).in(RetentionCategory.SESSIONS);
    }

    /** Session grants, used or not, the sessions policy's period after they expired (for investigating a complaint). */
    @Bean
    Purge shellGrantPurge(RetentionPolicies policies) {
        return new Purge("host.shell-grants", "host_grants", "expires_at <= :cutoff", sessionsKeptFor(policies), 5_000, 10,
                EVERY_TEN_MINUTES).in(RetentionCategory.SESSIONS);
    }

    private static Duration sessionsKeptFor(RetentionPolicies policies) {
        return policies.of(RetentionCategory.SESSIONS).requiredKeptFor();
    }

    /**
     * The storage of a mini-program a user has not opened for {@code capsule.retention.mini-program-storage} (default a
     * year; {@link StorageUse} records the day of each area's last use): with each deleted {@code host_storage_use} row,
     * in the same transaction, the area's records and wrapped data keys are deleted and its data-subject key destroyed,
     * so its ciphertext in backups never opens again. A session starting meanwhile waits for that transaction and then
     * makes a fresh area.
     */
    @Bean
    Purge unusedStoragePurge(RetentionPolicies policies, RegionalStorage storages, Residency residency, SubjectKeys subjectKeys) {
        return new Purge("host.storage-unused", "host_storage_use", "last_used < :cutoff",
                policies.of(RetentionCategory.MINI_PROGRAM_STORAGE).requiredKeptFor(), AREAS_PER_STATEMENT, STORAGE_STATEMENTS_PER_RUN,
                Duration.ofHours(1)).in(RetentionCategory.MINI_PROGRAM_STORAGE)
                .then(new Purge.AfterDelete(List.of("area", "subject"), rows -> eraseAreas(rows,
                        // The purge runs in each region's database and the rows do not say which: each area is erased in
                        // every region's storage (it exists in one; elsewhere the delete finds nothing), its key once.
                        residency.databases().stream().map(storages::in).toList(), subjectKeys)));
    }

    static void eraseAreas(List<Map<String, Object>> rows, List<EncryptedStorage> storages, SubjectKeys subjectKeys) {
        for (Map<String, Object> row : rows) {
            try {
                for (EncryptedStorage storage : storages) {
                    storage.eraseArea((String) row.get("area"));
                }
            } catch (StorageException e) {
                throw new IllegalStateException("an unused storage area could not be erased", e);
            }
            if (row.get("subject") instanceof UUID subject) {
                subjectKeys.erase(subject);
            }
        }
    }

    /**
     * Expired payer step-up challenges of payers who did not come back (a payer's own next challenge deletes that
     * payer's expired ones; an expired challenge is refused anyway).
     */
    @Bean
    Purge payerStepUpPurge() {
        return new Purge("host.payer-step-ups", "host_payer_step_ups", "expires_at <= :cutoff", Duration.ZERO, 5_000, 10, EVERY_TEN_MINUTES);
    }

    /** Expired passkey registration challenges (a registration answered after its expiry is refused anyway). */
    @Bean
    Purge passkeyRegistrationPurge() {
        return new Purge("host.passkey-registrations", "host_passkey_registrations", "expires_at <= :cutoff", Duration.ZERO, 5_000, 10,
                EVERY_TEN_MINUTES);
    }
}
