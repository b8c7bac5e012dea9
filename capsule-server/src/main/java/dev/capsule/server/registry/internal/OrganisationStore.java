package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The organisation tables of V50: organisations, members, mini-program ids, developer keys. Every read is bounded. */
@Repository
class OrganisationStore {
    /** Organisations listed at most per request. */
    static final int ORGANISATIONS_LIST_MAX = 500;
    /** Keys, members and mini-program ids per organisation. */
    static final int PER_ORGANISATION_MAX = 1_000;

    private final JdbcClient jdbc;

    OrganisationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Organisation organisation) {
        jdbc.sql("INSERT INTO registry_organisation (organisation_id, legal_name, contact, verified, created_by, created_at) "
                        + "VALUES (?, ?, ?, false, ?, ?)")
                .params(organisation.id().value(), organisation.legalName(), organisation.contact(), organisation.createdBy(),
                        Timestamp.from(organisation.createdAt()))
                .update();
    }

    Optional<Organisation> find(OrganisationId id) {
        return jdbc.sql("SELECT * FROM registry_organisation WHERE organisation_id = ?").param(id.value())
                .query(OrganisationStore::organisation).optional();
    }

    List<Organisation> list() {
        return jdbc.sql("SELECT * FROM registry_organisation ORDER BY created_at, organisation_id LIMIT ?")
                .param(ORGANISATIONS_LIST_MAX).query(OrganisationStore::organisation).list();
    }

    boolean verify(OrganisationId id, String actor, Instant at) {
        return jdbc.sql("UPDATE registry_organisation SET verified = true, verified_by = ?, verified_at = ? "
                        + "WHERE organisation_id = ? AND NOT verified")
                .params(actor, Timestamp.from(at), id.value()).update() == 1;
    }

    boolean addMember(OrganisationId id, OperatorId member, String actor, Instant at) {
        return jdbc.sql("INSERT INTO registry_member (organisation_id, operator_id, added_by, added_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(id.value(), member.value(), actor, Timestamp.from(at)).update() == 1;
    }

    List<OperatorId> members(OrganisationId id) {
        return jdbc.sql("SELECT operator_id FROM registry_member WHERE organisation_id = ? ORDER BY added_at, operator_id LIMIT ?")
                .params(id.value(), PER_ORGANISATION_MAX)
                .query((row, n) -> new OperatorId(row.getObject("operator_id", UUID.class))).list();
    }

    boolean isMember(OrganisationId id, OperatorId operator) {
        return jdbc.sql("SELECT count(*) FROM registry_member WHERE organisation_id = ? AND operator_id = ?")
                .params(id.value(), operator.value()).query(Long.class).single() > 0;
    }

    long countOf(String table, OrganisationId id) {
        if (!List.of("registry_member", "registry_mini_program", "registry_signing_key").contains(table)) {
            throw new IllegalArgumentException(table);
        }
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE organisation_id = ?").param(id.value())
                .query(Long.class).single();
    }

    boolean addMiniProgram(MiniProgramId app, OrganisationId id, String actor, Instant at) {
        return jdbc.sql("INSERT INTO registry_mini_program (app_id, organisation_id, created_by, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(app.value(), id.value(), actor, Timestamp.from(at)).update() == 1;
    }

    Optional<OrganisationId> owner(MiniProgramId app) {
        return jdbc.sql("SELECT organisation_id FROM registry_mini_program WHERE app_id = ?").param(app.value())
                .query((row, n) -> new OrganisationId(row.getObject(1, UUID.class))).optional();
    }

    List<MiniProgramId> miniPrograms(OrganisationId id) {
        return jdbc.sql("SELECT app_id FROM registry_mini_program WHERE organisation_id = ? ORDER BY app_id LIMIT ?")
                .params(id.value(), PER_ORGANISATION_MAX).query((row, n) -> new MiniProgramId(row.getString(1))).list();
    }

    boolean addKey(DeveloperKey key) {
        return jdbc.sql("INSERT INTO registry_signing_key (key_id, organisation_id, public_key, added_by, added_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(key.keyId(), key.organisation().value(), key.key().raw(), key.addedBy(), Timestamp.from(key.addedAt()))
                .update() == 1;
    }

    boolean revokeKey(OrganisationId id, String keyId, String actor, Instant at) {
        return jdbc.sql("UPDATE registry_signing_key SET revoked_by = ?, revoked_at = ? "
                        + "WHERE key_id = ? AND organisation_id = ? AND revoked_at IS NULL")
                .params(actor, Timestamp.from(at), keyId, id.value()).update() == 1;
    }

    Optional<DeveloperKey> key(String keyId) {
        return jdbc.sql("SELECT * FROM registry_signing_key WHERE key_id = ?").param(keyId)
                .query(OrganisationStore::developerKey).optional();
    }

    /** Every key of the organisation, revoked ones included (lists show them; signing trusts only the others). */
    List<DeveloperKey> keys(OrganisationId id) {
        return jdbc.sql("SELECT * FROM registry_signing_key WHERE organisation_id = ? ORDER BY added_at, key_id LIMIT ?")
                .params(id.value(), PER_ORGANISATION_MAX).query(OrganisationStore::developerKey).list();
    }

    private static Organisation organisation(ResultSet row, int n) throws SQLException {
        return new Organisation(new OrganisationId(row.getObject("organisation_id", UUID.class)), row.getString("legal_name"),
                row.getString("contact"), row.getBoolean("verified"), row.getString("created_by"),
                row.getTimestamp("created_at").toInstant());
    }

    private static DeveloperKey developerKey(ResultSet row, int n) throws SQLException {
        VerifyingKey key;
        try {
            key = VerifyingKey.fromRaw(row.getBytes("public_key"));
        } catch (KeyFormatException e) {
            throw new IllegalStateException("registry_signing_key " + row.getString("key_id") + " holds no valid key", e);
        }
        Timestamp revokedAt = row.getTimestamp("revoked_at");
        return new DeveloperKey(key, new OrganisationId(row.getObject("organisation_id", UUID.class)), row.getString("added_by"),
                row.getTimestamp("added_at").toInstant(), row.getString("revoked_by"),
                revokedAt == null ? null : revokedAt.toInstant());
    }
}
