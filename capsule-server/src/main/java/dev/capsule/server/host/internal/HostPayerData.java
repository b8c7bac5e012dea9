package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import static dev.capsule.server.privacy.HeldData.record;
import dev.capsule.server.privacy.PersonalDataHolder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the host's payment sheet holds about an end user (keyed by the payer pseudonym {@code payer_ref}, never the
 * id in clear): the merchants whose sheets they opened, their passkeys for payment step-up, and step-ups under way.
 *
 * <p>Security guarantees: the export lists a passkey by its credential id and origin, never its public-key record or a
 * challenge; erasure deletes every row of the payer (a deleted passkey can no longer approve a payment).
 */
@Component
class HostPayerData implements PersonalDataHolder {
    private final JdbcClient jdbc;
    private final PayerRefs refs;

    HostPayerData(JdbcClient jdbc, PayerRefs refs) {
        this.jdbc = jdbc;
        this.refs = refs;
    }

    @Override
    public String name() {
        return "host.payer";
    }

    @Override
    public Set<String> tables() {
        return Set.of("host_payment_merchants", "host_payer_step_ups", "host_payer_code_steps", "host_payer_passkeys",
                "host_passkey_registrations");
    }

    @Override
    public HeldData export(DataSubject subject) {
        String ref = ref(subject);
        List<Map<String, Object>> records = new ArrayList<>();
        records.addAll(jdbc.sql("""
                SELECT merchant_id, merchant_name, last_opened_at FROM host_payment_merchants WHERE payer_ref = :r
                ORDER BY last_opened_at LIMIT :n""").param("r", ref).param("n", RECORDS_MAX + 1)
                .query((rs, n) -> record("payment-sheet-merchant", "merchant", rs.getString(1), "merchantName", rs.getString(2),
                        "lastOpenedAt", rs.getTimestamp(3).toInstant().toString())).list());
        records.addAll(jdbc.sql("""
                SELECT credential_id, origin, created_at FROM host_payer_passkeys WHERE payer_ref = :r ORDER BY created_at LIMIT :n""")
                .param("r", ref).param("n", RECORDS_MAX + 1)
                .query((rs, n) -> record("passkey", "credentialId", HexFormat.of().formatHex(rs.getBytes(1)), "origin", rs.getString(2),
                        "createdAt", rs.getTimestamp(3).toInstant().toString())).list());
        records.addAll(jdbc.sql("SELECT intent_id, expires_at FROM host_payer_step_ups WHERE payer_ref = :r ORDER BY expires_at LIMIT :n")
                .param("r", ref).param("n", RECORDS_MAX + 1)
                .query((rs, n) -> record("payment-step-up", "paymentIntent", rs.getString(1),
                        "expiresAt", rs.getTimestamp(2).toInstant().toString())).list());
        return HeldData.of(name(), "The merchants whose payment sheets you opened and the passkeys you registered to approve"
                + " payments.", records);
    }

    @Override
    public Erasure erase(DataSubject subject) {
        String ref = ref(subject);
        List<Erasure.Deleted> deleted = new ArrayList<>();
        for (String table : List.of("host_payer_step_ups", "host_payer_code_steps", "host_payer_passkeys", "host_passkey_registrations",
                "host_payment_merchants")) {
            // table comes from the fixed list above, never from input
            deleted.add(new Erasure.Deleted(table, jdbc.sql("DELETE FROM " + table + " WHERE payer_ref = :r").param("r", ref).update()));
        }
        return new Erasure(name(), deleted, List.of(), List.of());
    }

    private String ref(DataSubject subject) {
        return refs.ref(PayerRefs.payer(new ShellUserId(subject.userId())));
    }
}
