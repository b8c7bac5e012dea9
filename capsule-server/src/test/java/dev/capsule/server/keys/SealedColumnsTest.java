package dev.capsule.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Table and column names go into SQL, so a description holds only plain identifiers and at least one of each list. */
class SealedColumnsTest {
    private static final SealedColumns.Column SECRET = new SealedColumns.Column("secret_sealed",
            row -> new FieldPlace("platform", "things", row.text(0), "secret"));

    @Test
    void aDescriptionOfPlainIdentifiersIsAccepted() {
        SealedColumns columns = new SealedColumns(DataPurpose.MERCHANT_SECRETS, "test.things", "things", List.of("id"), List.of(SECRET));
        assertThat(columns.columns()).extracting(SealedColumns.Column::name).containsExactly("secret_sealed");
        assertThat(SECRET.place().apply(new SealedColumns.RowKey(List.of("t1"))).rowId()).isEqualTo("t1");
    }

    @Test
    void aNameThatIsNotAPlainIdentifierIsRefused() {
        assertThatThrownBy(() -> new SealedColumns(DataPurpose.MERCHANT_SECRETS, "test", "things; DROP TABLE x", List.of("id"), List.of(SECRET)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SealedColumns(DataPurpose.MERCHANT_SECRETS, "test", "things", List.of("id = id OR true"), List.of(SECRET)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SealedColumns.Column("Secret", row -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDescriptionWithoutKeyOrSealedColumnsIsRefused() {
        assertThatThrownBy(() -> new SealedColumns(DataPurpose.MERCHANT_SECRETS, "test", "things", List.of(), List.of(SECRET)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SealedColumns(DataPurpose.MERCHANT_SECRETS, "test", "things", List.of("id"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRowKeyReadsEachColumnAsItsType() {
        UUID id = UUID.randomUUID();
        SealedColumns.RowKey key = new SealedColumns.RowKey(List.of("we_x", 3, id));
        assertThat(key.text(0)).isEqualTo("we_x");
        assertThat(key.integer(1)).isEqualTo(3);
        assertThat(key.uuid(2)).isEqualTo(id);
    }
}
