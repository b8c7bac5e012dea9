package dev.capsule.server.registry.internal;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.PackageVersionId;
import dev.capsule.server.registry.RiskAssessment;
import dev.capsule.server.registry.RiskQuestionnaire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code registry_risk_assessment} and {@code registry_minimization} tables (V110): written once, never changed. */
@Repository
class AssessmentStore {
    private static final String ASSESSMENT = "SELECT a.version_id, a.data, a.users, a.money, a.derived, a.approved, a.raise_reason, "
            + "a.assessed_by, a.assessed_at FROM registry_risk_assessment a ";

    private final JdbcClient jdbc;

    AssessmentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(RiskAssessment a) {
        jdbc.sql("INSERT INTO registry_risk_assessment (version_id, data, users, money, derived, approved, raise_reason, assessed_by, "
                        + "assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(a.version().value(), a.answers().data().code(), a.answers().users().code(), a.answers().money().code(),
                        a.derived().code(), a.approved().code(), a.raiseReason(), a.assessedBy(), Timestamp.from(a.assessedAt()))
                .update();
    }

    Optional<RiskAssessment> find(PackageVersionId id) {
        return jdbc.sql(ASSESSMENT + "WHERE a.version_id = ?").param(id.value()).query(AssessmentStore::row).optional();
    }

    /** The assessment of an approved version, by app and version. */
    Optional<RiskAssessment> ofApproved(MiniProgramId app, String version) {
        return jdbc.sql(ASSESSMENT + "JOIN registry_version v ON v.version_id = a.version_id "
                        + "WHERE v.app_id = ? AND v.version = ? AND v.state = 'approved'")
                .params(app.value(), version).query(AssessmentStore::row).optional();
    }

    void insertMinimization(PackageVersionId id, byte[] reportJson) {
        jdbc.sql("INSERT INTO registry_minimization (version_id, report_json) VALUES (?, ?)").params(id.value(), reportJson).update();
    }

    Optional<byte[]> minimization(PackageVersionId id) {
        return jdbc.sql("SELECT report_json FROM registry_minimization WHERE version_id = ?").param(id.value())
                .query((row, n) -> row.getBytes(1)).optional();
    }

    private static RiskAssessment row(ResultSet row, int n) throws SQLException {
        RiskQuestionnaire answers = new RiskQuestionnaire(RiskQuestionnaire.data(row.getString("data")).orElseThrow(),
                RiskQuestionnaire.users(row.getString("users")).orElseThrow(),
                RiskQuestionnaire.money(row.getString("money")).orElseThrow());
        return new RiskAssessment(new PackageVersionId(row.getObject("version_id", UUID.class)), answers,
                RiskProfile.fromCode(row.getString("derived")), RiskProfile.fromCode(row.getString("approved")),
                row.getString("raise_reason"), row.getString("assessed_by"), row.getTimestamp("assessed_at").toInstant());
    }
}
