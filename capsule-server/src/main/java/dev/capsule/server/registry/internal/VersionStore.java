package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.PackageVersionId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code registry_version} and {@code registry_exception} tables (V50). Lists never read the large columns. */
@Repository
class VersionStore {
    /** Versions of one mini-program the registry keeps (and compares a new upload against). */
    static final int VERSIONS_PER_APP_MAX = 10_000;

    private static final String SUMMARY = "SELECT v.version_id, v.app_id, m.organisation_id, v.version, v.state, v.package_sha256, "
            + "v.digest_manifest_sha256, v.developer_key_id, v.findings_sha256, v.sbom_sha256, v.critical_findings, "
            + "v.submitted_by, v.submitted_at, v.decided_by, v.decided_at, v.decision_reason, v.preset, "
            + "e.recorded_by AS exception_by, e.recorded_at AS exception_at, e.reason AS exception_reason "
            + "FROM registry_version v JOIN registry_mini_program m ON m.app_id = v.app_id "
            + "LEFT JOIN registry_exception e ON e.version_id = v.version_id ";

    private final JdbcClient jdbc;

    VersionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What an upload stores: the package as uploaded and its automated review. */
    record NewVersion(PackageVersionId id, MiniProgramId app, String version, byte[] packageBytes, Sha256 packageSha256,
                      Sha256 digestManifestSha256, String developerKeyId, AutomatedReview.Outcome review, String submittedBy,
                      Instant submittedAt) {
    }

    /** Locks the mini-program's row for the rest of the transaction: uploads of one app are serialized across nodes. */
    void lockApp(MiniProgramId app) {
        jdbc.sql("SELECT app_id FROM registry_mini_program WHERE app_id = ? FOR UPDATE").param(app.value())
                .query(String.class).optional();
    }

    List<String> versionsOf(MiniProgramId app) {
        return jdbc.sql("SELECT version FROM registry_version WHERE app_id = ? LIMIT ?").params(app.value(), VERSIONS_PER_APP_MAX)
                .query(String.class).list();
    }

    boolean inReview(MiniProgramId app) {
        return jdbc.sql("SELECT count(*) FROM registry_version WHERE app_id = ? AND state = 'in-review'").param(app.value())
                .query(Long.class).single() > 0;
    }

    void insert(NewVersion v) {
        jdbc.sql("INSERT INTO registry_version (version_id, app_id, version, state, package, package_sha256, "
                        + "digest_manifest_sha256, developer_key_id, findings_json, findings_html, findings_sha256, sbom_json, "
                        + "sbom_sha256, critical_findings, submitted_by, submitted_at) "
                        + "VALUES (?, ?, ?, 'in-review', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(v.id().value(), v.app().value(), v.version(), v.packageBytes(), v.packageSha256().bytes(),
                        v.digestManifestSha256().bytes(), v.developerKeyId(), v.review().findingsJson(), v.review().findingsHtml(),
                        v.review().findingsSha256().bytes(), v.review().sbomJson(), v.review().sbomSha256().bytes(),
                        v.review().criticalFindings(), v.submittedBy(), Timestamp.from(v.submittedAt()))
                .update();
    }

    Optional<StoredVersion> find(PackageVersionId id) {
        return jdbc.sql(SUMMARY + "WHERE v.version_id = ?").param(id.value()).query(VersionStore::row).optional();
    }

    /** The version, locked for a decision until the transaction ends. */
    Optional<StoredVersion> findForUpdate(PackageVersionId id) {
        jdbc.sql("SELECT version_id FROM registry_version WHERE version_id = ? FOR UPDATE").param(id.value())
                .query(UUID.class).optional();
        return find(id);
    }

    /**
     * A page of versions in submission order, newest first, optionally of one state and one organisation,
     * starting after {@code after}.
     */
    List<StoredVersion> page(Optional<VersionState> state, Optional<OrganisationId> organisation,
            Optional<PackageVersionId> after, int limit) {
        StringBuilder where = new StringBuilder("WHERE true ");
        var params = new java.util.ArrayList<Object>();
        state.ifPresent(s -> {
            where.append("AND v.state = ? ");
            params.add(s.code());
        });
        organisation.ifPresent(o -> {
            where.append("AND m.organisation_id = ? ");
            params.add(o.value());
        });
        after.ifPresent(a -> {
            where.append("AND (v.submitted_at, v.version_id) < (SELECT submitted_at, version_id FROM registry_version "
                    + "WHERE version_id = ?) ");
            params.add(a.value());
        });
        params.add(limit);
        return jdbc.sql(SUMMARY + where + "ORDER BY v.submitted_at DESC, v.version_id DESC LIMIT ?").params(params)
                .query(VersionStore::row).list();
    }

    /** The approved versions of an app, in no particular order (callers sort by semantic version). */
    List<StoredVersion> approved(MiniProgramId app) {
        return jdbc.sql(SUMMARY + "WHERE v.app_id = ? AND v.state = 'approved' LIMIT ?").params(app.value(), VERSIONS_PER_APP_MAX)
                .query(VersionStore::row).list();
    }

    boolean approve(PackageVersionId id, String actor, Instant at, String reason, RiskProfile preset) {
        return jdbc.sql("UPDATE registry_version SET state = 'approved', decided_by = ?, decided_at = ?, decision_reason = ?, "
                        + "preset = ? WHERE version_id = ? AND state = 'in-review'")
                .params(actor, Timestamp.from(at), reason, preset.code(), id.value()).update() == 1;
    }

    boolean reject(PackageVersionId id, String actor, Instant at, String reason) {
        return jdbc.sql("UPDATE registry_version SET state = 'rejected', decided_by = ?, decided_at = ?, decision_reason = ? "
                        + "WHERE version_id = ? AND state = 'in-review'")
                .params(actor, Timestamp.from(at), reason, id.value()).update() == 1;
    }

    boolean recordException(PackageVersionId id, String actor, Instant at, String reason) {
        return jdbc.sql("INSERT INTO registry_exception (version_id, recorded_by, recorded_at, reason) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(id.value(), actor, Timestamp.from(at), reason).update() == 1;
    }

    byte[] packageBytes(PackageVersionId id) {
        return blob(id, "package");
    }

    byte[] findingsJson(PackageVersionId id) {
        return blob(id, "findings_json");
    }

    byte[] findingsHtml(PackageVersionId id) {
        return blob(id, "findings_html");
    }

    byte[] sbomJson(PackageVersionId id) {
        return blob(id, "sbom_json");
    }

    private byte[] blob(PackageVersionId id, String column) {
        if (!List.of("package", "findings_json", "findings_html", "sbom_json").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("SELECT " + column + " FROM registry_version WHERE version_id = ?").param(id.value())
                .query((row, n) -> row.getBytes(1)).single();
    }

    private static StoredVersion row(ResultSet row, int n) throws SQLException {
        String preset = row.getString("preset");
        String exceptionBy = row.getString("exception_by");
        return new StoredVersion(
                new PackageVersionId(row.getObject("version_id", UUID.class)),
                new MiniProgramId(row.getString("app_id")),
                new OrganisationId(row.getObject("organisation_id", UUID.class)),
                row.getString("version"),
                VersionState.fromCode(row.getString("state")).orElseThrow(),
                new Sha256(row.getBytes("package_sha256")),
                new Sha256(row.getBytes("digest_manifest_sha256")),
                row.getString("developer_key_id"),
                new Sha256(row.getBytes("findings_sha256")),
                new Sha256(row.getBytes("sbom_sha256")),
                row.getInt("critical_findings"),
                row.getString("submitted_by"),
                instant(row, "submitted_at"),
                row.getString("decided_by"),
                instant(row, "decided_at"),
                row.getString("decision_reason"),
                preset == null ? null : RiskProfile.fromCode(preset),
                exceptionBy == null ? null : new StoredVersion.PolicyException(exceptionBy, instant(row, "exception_at"),
                        row.getString("exception_reason")));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp t = row.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
