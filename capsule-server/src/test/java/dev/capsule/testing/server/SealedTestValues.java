package dev.capsule.testing.server;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A test module that stores sealed values (table {@code test_sealed_values}: the sealed value and, for
 * checking, its plaintext) and takes part in rotation as a {@link CiphertextHolder}, the way a real
 * module does. (In this package, outside {@code dev.capsule.server}, so that no application context
 * scans it.)
 */
@TestConfiguration(proxyBeanMethods = false)
public class SealedTestValues {

    @Bean
    Holder sealedTestValuesHolder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        return new Holder(jdbc, fields, transactions);
    }

    public static FieldPlace place(int id) {
        return new FieldPlace("platform", "test-sealed-values", Integer.toString(id), "value");
    }

    public static final class Holder implements CiphertextHolder {
        private final JdbcClient jdbc;
        private final FieldEncryption fields;
        private final TransactionTemplate transactions;

        Holder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
            this.jdbc = jdbc;
            this.fields = fields;
            this.transactions = transactions;
            jdbc.sql("CREATE TABLE IF NOT EXISTS test_sealed_values (id int PRIMARY KEY, sealed bytea NOT NULL, plain bytea NOT NULL)")
                    .update();
        }

        @Override
        public DataPurpose purpose() {
            return DataPurpose.OPERATOR_SECRETS;
        }

        @Override
        public String name() {
            return "test.sealed-values";
        }

        @Override
        public long countUnder(int keyId) {
            return jdbc.sql("SELECT count(*) FROM test_sealed_values WHERE substring(sealed FROM 1 FOR 5) = :p")
                    .param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
        }

        @Override
        public int resealBatch(int keyId, int batchSize) {
            return transactions.execute(status -> {
                List<Row> rows = jdbc.sql("""
                        SELECT id, sealed FROM test_sealed_values WHERE substring(sealed FROM 1 FOR 5) = :p
                        ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED""")
                        .param("p", FieldEncryption.prefixOf(keyId)).param("n", batchSize)
                        .query((rs, n) -> new Row(rs.getInt(1), rs.getBytes(2))).list();
                int changed = 0;
                for (Row row : rows) {
                    byte[] resealed = fields.reseal(DataPurpose.OPERATOR_SECRETS, row.sealed(), place(row.id()));
                    changed += jdbc.sql("UPDATE test_sealed_values SET sealed = :new WHERE id = :id AND sealed = :old")
                            .param("new", resealed).param("id", row.id()).param("old", row.sealed()).update();
                }
                return changed;
            });
        }

        private record Row(int id, byte[] sealed) {
        }
    }
}
