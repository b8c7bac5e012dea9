package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes of the merchant tables (V92) and the operators' reads of them; the signature and payment paths read through
 * {@link MerchantDirectory}. Every list is bounded.
 */
@Repository
class MerchantStore {
    /** Merchants listed at most per request. */
    static final int MERCHANTS_LIST_MAX = 500;
    /** Keys of one merchant in all, revoked ones included (lists show them all). */
    static final int KEYS_PER_MERCHANT_MAX = 200;

    /** The merchant's columns and its mini-program ids as one array. */
    private static final String MERCHANT = "SELECT m.*, array(SELECT a.app_id FROM payments_merchant_app a "
            + "WHERE a.merchant_id = m.merchant_id ORDER BY a.app_id) AS apps FROM payments_merchant m ";

    private final JdbcClient jdbc;

    MerchantStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(MerchantId id, OrganisationId organisation, String verifiedName, Set<MiniProgramId> apps, String actor, Instant at) {
        jdbc.sql("INSERT INTO payments_merchant (merchant_id, organisation_id, verified_name, enabled, created_by, created_at) "
                        + "VALUES (:id, :organisation, :name, true, :actor, :at)")
                .param("id", id.value()).param("organisation", organisation.value()).param("name", verifiedName)
                .param("actor", actor).param("at", Timestamp.from(at)).update();
        for (MiniProgramId app : apps) {
            jdbc.sql("INSERT INTO payments_merchant_app (app_id, merchant_id) VALUES (:app, :id)")
                    .param("app", app.value()).param("id", id.value()).update();
        }
    }

    /** The merchant that takes this mini-program's payments, if any. */
    Optional<MerchantId> merchantOf(MiniProgramId app) {
        return jdbc.sql("SELECT merchant_id FROM payments_merchant_app WHERE app_id = :app").param("app", app.value())
                .query((row, n) -> new MerchantId(row.getString(1))).optional();
    }

    long countFor(OrganisationId organisation) {
        return jdbc.sql("SELECT count(*) FROM payments_merchant WHERE organisation_id = :organisation")
                .param("organisation", organisation.value()).query(Long.class).single();
    }

    /** Locks the merchant's row for a change of its state or keys (so limits are counted by one change at a time). */
    Optional<RegisteredMerchant> lock(MerchantId id) {
        return jdbc.sql(MERCHANT + "WHERE m.merchant_id = :id FOR UPDATE OF m").param("id", id.value())
                .query(MerchantStore::merchant).optional();
    }

    Optional<RegisteredMerchant> find(MerchantId id) {
        return jdbc.sql(MERCHANT + "WHERE m.merchant_id = :id").param("id", id.value())
                .query(MerchantStore::merchant).optional();
    }

    List<RegisteredMerchant> list() {
        return jdbc.sql(MERCHANT + "ORDER BY m.created_at, m.merchant_id LIMIT :n")
                .param("n", MERCHANTS_LIST_MAX).query(MerchantStore::merchant).list();
    }

    boolean setEnabled(MerchantId id, boolean enabled) {
        return jdbc.sql("UPDATE payments_merchant SET enabled = :enabled WHERE merchant_id = :id AND enabled <> :enabled")
                .param("enabled", enabled).param("id", id.value()).update() == 1;
    }

    void insertEd25519Key(MerchantKeyId key, MerchantId merchant, byte[] publicKey, String actor, Instant at) {
        jdbc.sql("INSERT INTO payments_merchant_key (key_id, merchant_id, algorithm, public_key, added_by, added_at) "
                        + "VALUES (:key, :merchant, 'ed25519', :public, :actor, :at)")
                .param("key", key.value()).param("merchant", merchant.value()).param("public", publicKey)
                .param("actor", actor).param("at", Timestamp.from(at)).update();
    }

    void insertHmacKey(MerchantKeyId key, MerchantId merchant, byte[] sealedSecret, String actor, Instant at) {
        jdbc.sql("INSERT INTO payments_merchant_key (key_id, merchant_id, algorithm, secret_sealed, added_by, added_at) "
                        + "VALUES (:key, :merchant, 'hmac-sha256', :sealed, :actor, :at)")
                .param("key", key.value()).param("merchant", merchant.value()).param("sealed", sealedSecret)
                .param("actor", actor).param("at", Timestamp.from(at)).update();
    }

    boolean publicKeyKnown(byte[] publicKey) {
        return jdbc.sql("SELECT count(*) FROM payments_merchant_key WHERE public_key = :public").param("public", publicKey)
                .query(Long.class).single() > 0;
    }

    long countKeys(MerchantId merchant, boolean activeOnly) {
        return jdbc.sql("SELECT count(*) FROM payments_merchant_key WHERE merchant_id = :merchant"
                        + (activeOnly ? " AND revoked_at IS NULL" : ""))
                .param("merchant", merchant.value()).query(Long.class).single();
    }

    boolean revokeKey(MerchantId merchant, MerchantKeyId key, String actor, Instant at) {
        return jdbc.sql("UPDATE payments_merchant_key SET revoked_by = :actor, revoked_at = :at "
                        + "WHERE key_id = :key AND merchant_id = :merchant AND revoked_at IS NULL")
                .param("actor", actor).param("at", Timestamp.from(at)).param("key", key.value())
                .param("merchant", merchant.value()).update() == 1;
    }

    Optional<MerchantKeyInfo> key(MerchantId merchant, MerchantKeyId key) {
        return jdbc.sql("SELECT * FROM payments_merchant_key WHERE key_id = :key AND merchant_id = :merchant")
                .param("key", key.value()).param("merchant", merchant.value()).query(MerchantStore::keyInfo).optional();
    }

    /** Every key of the merchant, revoked ones included, oldest first. */
    List<MerchantKeyInfo> keys(MerchantId merchant) {
        return jdbc.sql("SELECT * FROM payments_merchant_key WHERE merchant_id = :merchant ORDER BY added_at, key_id LIMIT :n")
                .param("merchant", merchant.value()).param("n", KEYS_PER_MERCHANT_MAX).query(MerchantStore::keyInfo).list();
    }

    private static RegisteredMerchant merchant(ResultSet row, int n) throws SQLException {
        MerchantId id = new MerchantId(row.getString("merchant_id"));
        Set<MiniProgramId> apps = new LinkedHashSet<>();
        for (Object app : (Object[]) row.getArray("apps").getArray()) {
            apps.add(MiniProgramId.of((String) app));
        }
        return new RegisteredMerchant(new Merchant(id, new OrganisationId(row.getObject("organisation_id", UUID.class)),
                row.getString("verified_name"), apps, row.getBoolean("enabled")),
                row.getString("created_by"), row.getTimestamp("created_at").toInstant());
    }

    private static MerchantKeyInfo keyInfo(ResultSet row, int n) throws SQLException {
        Timestamp revokedAt = row.getTimestamp("revoked_at");
        return new MerchantKeyInfo(new MerchantKeyId(row.getString("key_id")), row.getString("algorithm"),
                Optional.ofNullable(row.getBytes("public_key")), row.getString("added_by"), row.getTimestamp("added_at").toInstant(),
                Optional.ofNullable(row.getString("revoked_by")), Optional.ofNullable(revokedAt).map(Timestamp::toInstant));
    }
}
