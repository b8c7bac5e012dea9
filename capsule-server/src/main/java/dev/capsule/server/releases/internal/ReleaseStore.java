package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.PackageVersionId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The releases module's tables besides the log itself (V60): released packages, rollout state, revocations, the
 * minimum runtime setting and the issued revocation lists. Writes happen only in the transaction that appends
 * the matching release log entry.
 */
@Component
class ReleaseStore {
    private final JdbcClient jdbc;

    ReleaseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A released version: its countersigned package and its release entry's index. */
    record Released(MiniProgramId app, String version, PackageVersionId id, String packageDigest, String developerKeyPem, long entryIndex,
            Instant releasedAt) {
    }

    /**
     * What a mini-program serves: {@code rolling} to {@code percent}% of users (by bucket), {@code stable} to the
     * rest. {@code rollbackEntry} is the index of the rollback entry that made {@code stable} current, while it is.
     */
    record Rollout(MiniProgramId app, String stable, String rolling, int percent, boolean paused, Long rollbackEntry) {
    }

    /** One revoked version. */
    record Revoked(MiniProgramId app, String version, String reason, long entryIndex, Instant revokedAt) {
    }

    void insertPackage(MiniProgramId app, String version, PackageVersionId id, byte[] countersigned, Sha256 packageDigest,
            String developerKeyPem, long entryIndex) {
        jdbc.sql("""
                INSERT INTO release_packages (app_id, version, package_version_id, package, package_digest, developer_key_pem, entry_index)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(app.value(), version, id.value(), countersigned, "sha256:" + packageDigest.hex(), developerKeyPem, entryIndex)
                .update();
    }

    Optional<Released> released(MiniProgramId app, String version) {
        return jdbc.sql("""
                SELECT version, package_version_id, package_digest, developer_key_pem, entry_index, released_at
                FROM release_packages WHERE app_id = ? AND version = ?""")
                .params(app.value(), version)
                .query((row, i) -> new Released(app, row.getString(1), new PackageVersionId(row.getObject(2, UUID.class)), row.getString(3),
                        row.getString(4), row.getLong(5), row.getObject(6, OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Every released version of the app, newest release first (at most {@code limit}). */
    List<Released> releasedVersions(MiniProgramId app, int limit) {
        return jdbc.sql("""
                SELECT version, package_version_id, package_digest, developer_key_pem, entry_index, released_at
                FROM release_packages WHERE app_id = ? ORDER BY entry_index DESC LIMIT ?""")
                .params(app.value(), limit)
                .query((row, i) -> new Released(app, row.getString(1), new PackageVersionId(row.getObject(2, UUID.class)), row.getString(3),
                        row.getString(4), row.getLong(5), row.getObject(6, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** The countersigned package bytes of a released version. */
    byte[] packageBytes(MiniProgramId app, String version) {
        return jdbc.sql("SELECT package FROM release_packages WHERE app_id = ? AND version = ?").params(app.value(), version)
                .query(byte[].class).single();
    }

    /** The rollout state, locked for update when {@code forUpdate} (callers hold the release log lock anyway). */
    Optional<Rollout> rollout(MiniProgramId app) {
        return jdbc.sql("SELECT stable_version, rolling_version, percent, paused, rollback_entry FROM release_rollouts WHERE app_id = ?")
                .param(app.value())
                .query((row, i) -> new Rollout(app, row.getString(1), row.getString(2), row.getInt(3), row.getBoolean(4),
                        (Long) row.getObject(5)))
                .optional();
    }

    /** Mini-programs with a rollout, by id (at most {@code limit}). */
    List<Rollout> rollouts(int limit) {
        return jdbc.sql("SELECT app_id, stable_version, rolling_version, percent, paused, rollback_entry FROM release_rollouts ORDER BY app_id LIMIT ?")
                .param(limit)
                .query((row, i) -> new Rollout(new MiniProgramId(row.getString(1)), row.getString(2), row.getString(3), row.getInt(4),
                        row.getBoolean(5), (Long) row.getObject(6)))
                .list();
    }

    /** A rollout, and which of its versions are not revoked. */
    record LiveRollout(Rollout rollout, boolean stableLive, boolean rollingLive) {
    }

    /**
     * Mini-programs whose rollout names a version that is not revoked, by id after {@code after} (exclusive; empty:
     * from the first), at most {@code limit}, each with which of its versions are live. The revocation check is in the
     * same statement, so a page never counts a mini-program it then leaves out.
     */
    List<LiveRollout> liveRollouts(Optional<MiniProgramId> after, int limit) {
        return jdbc.sql("""
                SELECT * FROM (
                    SELECT r.app_id, r.stable_version, r.rolling_version, r.percent, r.paused, r.rollback_entry,
                           r.stable_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release_revocations v
                               WHERE v.app_id = r.app_id AND v.version = r.stable_version) AS stable_live,
                           r.rolling_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM release_revocations v
                               WHERE v.app_id = r.app_id AND v.version = r.rolling_version) AS rolling_live
                    FROM release_rollouts r WHERE r.app_id > ?) live
                WHERE stable_live OR rolling_live
                ORDER BY app_id LIMIT ?""")
                .params(after.map(MiniProgramId::value).orElse(""), limit)
                .query((row, i) -> new LiveRollout(new Rollout(new MiniProgramId(row.getString(1)), row.getString(2), row.getString(3),
                        row.getInt(4), row.getBoolean(5), (Long) row.getObject(6)), row.getBoolean(7), row.getBoolean(8)))
                .list();
    }

    void saveRollout(Rollout rollout) {
        jdbc.sql("""
                INSERT INTO release_rollouts (app_id, stable_version, rolling_version, percent, paused, rollback_entry, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, clock_timestamp())
                ON CONFLICT (app_id) DO UPDATE SET stable_version = excluded.stable_version, rolling_version = excluded.rolling_version,
                    percent = excluded.percent, paused = excluded.paused, rollback_entry = excluded.rollback_entry, updated_at = excluded.updated_at""")
                .params(rollout.app().value(), rollout.stable(), rollout.rolling(), rollout.percent(), rollout.paused(), rollout.rollbackEntry())
                .update();
    }

    void insertRevocation(MiniProgramId app, String version, String reason, long entryIndex, Instant at) {
        jdbc.sql("INSERT INTO release_revocations (app_id, version, reason, entry_index, revoked_at) VALUES (?, ?, ?, ?, ?)")
                .params(app.value(), version, reason, entryIndex, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
    }

    Optional<Revoked> revocation(MiniProgramId app, String version) {
        return jdbc.sql("SELECT reason, entry_index, revoked_at FROM release_revocations WHERE app_id = ? AND version = ?")
                .params(app.value(), version)
                .query((row, i) -> new Revoked(app, version, row.getString(1), row.getLong(2), row.getObject(3, OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Every revocation, oldest first (at most {@code limit}). */
    List<Revoked> revocations(int limit) {
        return jdbc.sql("SELECT app_id, version, reason, entry_index, revoked_at FROM release_revocations ORDER BY entry_index LIMIT ?")
                .param(limit)
                .query((row, i) -> new Revoked(new MiniProgramId(row.getString(1)), row.getString(2), row.getString(3), row.getLong(4),
                        row.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    long revocationCount() {
        return jdbc.sql("SELECT count(*) FROM release_revocations").query(Long.class).single();
    }

    Optional<String> minimumRuntime() {
        return jdbc.sql("SELECT minimum_runtime FROM release_settings WHERE id = 1").query((row, i) -> Optional.ofNullable(row.getString(1)))
                .single();
    }

    void saveMinimumRuntime(String version, long entryIndex) {
        jdbc.sql("UPDATE release_settings SET minimum_runtime = ?, entry_index = ? WHERE id = 1").params(version, entryIndex).update();
    }

    /** An issued revocation list: its sequence, the DSSE envelope's JSON and when it was issued. */
    record IssuedList(long sequence, String envelope, Instant issuedAt) {
    }

    Optional<IssuedList> latestList() {
        return jdbc.sql("SELECT sequence, envelope, issued_at FROM release_revocation_lists ORDER BY sequence DESC LIMIT 1")
                .query((row, i) -> new IssuedList(row.getLong(1), row.getString(2), row.getObject(3, OffsetDateTime.class).toInstant()))
                .optional();
    }

    void insertList(IssuedList list) {
        jdbc.sql("INSERT INTO release_revocation_lists (sequence, envelope, issued_at) VALUES (?, ?, ?)")
                .params(list.sequence(), list.envelope(), OffsetDateTime.ofInstant(list.issuedAt(), ZoneOffset.UTC))
                .update();
    }
}
