package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link MerchantDirectory} on the {@code payments_merchant*} tables (V92). */
@Component
class JdbcMerchantDirectory implements MerchantDirectory {
    private static final String KEY_COLUMNS = "k.key_id, k.merchant_id, k.algorithm, k.public_key, k.secret_sealed";

    private final JdbcClient jdbc;
    private final FieldEncryption encryption;

    JdbcMerchantDirectory(JdbcClient jdbc, FieldEncryption encryption) {
        this.jdbc = jdbc;
        this.encryption = encryption;
    }

    @Override
    public Optional<Merchant> merchant(MerchantId id) {
        return jdbc.sql("SELECT merchant_id, organisation_id, verified_name, enabled FROM payments_merchant WHERE merchant_id = :id")
                .param("id", id.value())
                .query((row, n) -> new Merchant(id, new OrganisationId(row.getObject("organisation_id", java.util.UUID.class)),
                        row.getString("verified_name"), apps(id), row.getBoolean("enabled")))
                .optional();
    }

    @Override
    public Optional<MerchantKey> key(MerchantKeyId id) {
        return jdbc.sql("SELECT " + KEY_COLUMNS + " FROM payments_merchant_key k JOIN payments_merchant m USING (merchant_id) "
                        + "WHERE k.key_id = :id AND k.revoked_at IS NULL AND m.enabled")
                .param("id", id.value())
                .query(this::keyOf)
                .optional();
    }

    @Override
    public List<MerchantKey> activeKeys(MerchantId merchant) {
        return jdbc.sql("SELECT " + KEY_COLUMNS + " FROM payments_merchant_key k JOIN payments_merchant m USING (merchant_id) "
                        + "WHERE k.merchant_id = :merchant AND k.revoked_at IS NULL AND m.enabled ORDER BY k.added_at, k.key_id")
                .param("merchant", merchant.value())
                .query(this::keyOf)
                .list();
    }

    private Set<MiniProgramId> apps(MerchantId id) {
        return new LinkedHashSet<>(jdbc.sql("SELECT app_id FROM payments_merchant_app WHERE merchant_id = :id ORDER BY app_id")
                .param("id", id.value())
                .query((row, n) -> MiniProgramId.of(row.getString(1)))
                .list());
    }

    private MerchantKey keyOf(ResultSet row, int n) throws SQLException {
        MerchantKeyId id = new MerchantKeyId(row.getString("key_id"));
        MerchantId merchant = new MerchantId(row.getString("merchant_id"));
        return switch (row.getString("algorithm")) {
            case "ed25519" -> new MerchantKey.Ed25519(id, merchant, row.getBytes("public_key"));
            case "hmac-sha256" -> new MerchantKey.HmacSha256(id, merchant,
                    new MerchantSecret(encryption.open(DataPurpose.MERCHANT_SECRETS, row.getBytes("secret_sealed"), MerchantKey.secretPlace(id))));
            default -> throw new IllegalStateException("a merchant key with an unknown algorithm in the database");
        };
    }
}
