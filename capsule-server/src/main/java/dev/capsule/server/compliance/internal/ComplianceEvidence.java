package dev.capsule.server.compliance.internal;

import java.time.Instant;
import java.util.List;

/**
 * The live facts an auditor checks a MASVS report against ({@code GET /api/v1/compliance/evidence}, docs/compliance.md
 * "MASVS report"); each read at the time of the request from the module that owns it, none restated.
 */
record ComplianceEvidence(String format, Instant generatedAt, Tls tls, Database database, Sessions sessions, Keys keys,
        Log auditLog, Log releaseLog, List<Retention> retention, Residency residency) {
    static final String FORMAT = "capsule-compliance-evidence/1";

    /** The TLS of the request that fetched this evidence, as the server's connector negotiated it. */
    record Tls(boolean secure, String protocol, String cipherSuite) {
    }

    /**
     * The database's own settings, as PostgreSQL reports them ({@code SHOW}), and whether this server's connection to
     * it is encrypted ({@code pg_stat_ssl}).
     */
    record Database(String serverVersion, String fsync, String synchronousCommit, String fullPageWrites, String dataChecksums,
            String serverSsl, boolean connectionTls, String passwordEncryption) {
    }

    /** How this node isolates mini-program sessions. */
    record Sessions(String isolationTier) {
    }

    record Keys(List<Key> keys, List<Rotation> recentRotations) {
        Keys {
            keys = List.copyOf(keys);
            recentRotations = List.copyOf(recentRotations);
        }
    }

    /** A key with its age in whole days. */
    record Key(String purpose, String keyId, String status, Instant createdAt, long ageDays, Instant statusAt) {
    }

    record Rotation(String purpose, String newKeyId, String state, Instant startedAt, Instant finishedAt) {
    }

    /** A Merkle log's size and latest signed checkpoint (null without one). */
    record Log(long entries, long checkpointSize, String signedCheckpoint) {
    }

    /**
     * A retention purge: how long it keeps rows, how often it runs, and what it did on this node since the node started
     * (the {@code capsule.retention.deleted} and {@code capsule.retention.failures} counters).
     */
    record Retention(String purge, String table, String keptFor, long intervalSeconds, long deletedSinceStart,
            long failedRunsSinceStart) {
    }

    /**
     * Data residency (docs/residency.md): the home region and every region's database, with the region tag the database
     * carries now (every tag was compared with its region at this node's start, which refuses a mismatch).
     */
    record Residency(String home, List<Region> regions) {
        Residency {
            regions = List.copyOf(regions);
        }
    }

    /** A region's database: where it is (never credentials), its tag and when it was tagged. */
    record Region(String region, String location, String tag, Instant taggedAt) {
    }
}
