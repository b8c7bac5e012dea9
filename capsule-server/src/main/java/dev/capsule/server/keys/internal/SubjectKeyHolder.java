package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The subjects' wrapped data keys, for the rotation of the {@code subject-data} keys. */
@Component
class SubjectKeyHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final JdbcSubjectKeys subjectKeys;
    private final TransactionTemplate transactions;

    SubjectKeyHolder(JdbcClient jdbc, JdbcSubjectKeys subjectKeys, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.subjectKeys = subjectKeys;
        this.transactions = transactions;
    }

    @Override
    public DataPurpose purpose() {
        return DataPurpose.SUBJECT_DATA;
    }

    @Override
    public String name() {
        return "keys.subject-keys";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("SELECT count(*) FROM keys_subject_keys WHERE wrapping_key_id = :k")
                .param("k", Integer.toUnsignedLong(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT subject, wrapped FROM keys_subject_keys WHERE wrapping_key_id = :k
                    ORDER BY subject LIMIT :n FOR UPDATE SKIP LOCKED""")
                    .param("k", Integer.toUnsignedLong(keyId)).param("n", batchSize)
                    .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getBytes(2))).list();
            int count = 0;
            for (Row row : rows) {
                JdbcSubjectKeys.Wrapped rewrapped = subjectKeys.rewrap(row.subject(), new JdbcSubjectKeys.Wrapped(row.wrapped(), keyId));
                count += jdbc.sql("""
                        UPDATE keys_subject_keys SET wrapped = :w, wrapping_key_id = :k WHERE subject = :s AND wrapped = :old""")
                        .param("w", rewrapped.keyset()).param("k", Integer.toUnsignedLong(rewrapped.wrappingKeyId()))
                        .param("s", row.subject()).param("old", row.wrapped()).update();
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private record Row(UUID subject, byte[] wrapped) {
        @Override
        public String toString() {
            return "Row[" + subject + ", <redacted>]";
        }
    }
}
