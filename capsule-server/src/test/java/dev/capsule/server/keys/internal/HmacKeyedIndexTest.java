package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.testing.server.CapsuleServerTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The keyed index: 128-bit HMAC-SHA256 tags under the purpose's own primary key, and only for index purposes. */
@CapsuleServerTest
class HmacKeyedIndexTest {
    @Autowired KeyedIndex index;
    @Autowired Pseudonyms pseudonyms;
    @Autowired JdbcClient jdbc;

    @Test
    void aTagIs128BitsOfHexUnderTheCardIndexPrimaryKeyAndDependsOnTheValue() {
        byte[] value = "4111111111111111".getBytes(StandardCharsets.US_ASCII);

        KeyedIndex.Tag tag = index.tag(DataPurpose.CARD_INDEX, value);

        assertThat(tag.hex()).matches("[0-9a-f]{32}");
        assertThat(index.tag(DataPurpose.CARD_INDEX, value)).isEqualTo(tag);
        assertThat(index.tag(DataPurpose.CARD_INDEX, "4012888888881881".getBytes(StandardCharsets.US_ASCII)).hex()).isNotEqualTo(tag.hex());
        assertThat(String.format("%08x", tag.keyId())).isEqualTo(jdbc.sql(
                "SELECT key_id FROM keys_inventory WHERE purpose = 'card-index' AND status = 'primary'").query(String.class).single());
        // Its own key: not the pseudonym of the same value.
        assertThat(pseudonyms.tag("4111111111111111")).isNotEqualTo(tag.hex());
        assertThat(index.candidates(DataPurpose.CARD_INDEX, value)).first().isEqualTo(tag);
    }

    @Test
    void otherPurposesAndUnboundedValuesAreRefused() {
        byte[] value = {1, 2, 3};
        for (DataPurpose purpose : new DataPurpose[] {DataPurpose.PSEUDONYMS, DataPurpose.VAULT, DataPurpose.MERCHANT_SECRETS}) {
            assertThatThrownBy(() -> index.tag(purpose, value)).as(purpose.code()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> index.candidates(purpose, value)).as(purpose.code()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> index.tag(DataPurpose.CARD_INDEX, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.tag(DataPurpose.CARD_INDEX, new byte[KeyedIndex.VALUE_BYTES_MAX + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(index.tag(DataPurpose.CARD_INDEX, new byte[KeyedIndex.VALUE_BYTES_MAX]).hex()).hasSize(32);
    }

    @Test
    void everyDataPurposeHasAKeySetOfTheRightKindAfterStart() {
        // KeysStartup made one primary key per purpose, the new payments purposes included.
        for (DataPurpose purpose : DataPurpose.values()) {
            assertThat(jdbc.sql("SELECT count(*) FROM keys_inventory WHERE purpose = :p AND status = 'primary'")
                    .param("p", purpose.code()).query(Long.class).single()).as(purpose.code()).isEqualTo(1);
        }
        assertThat(KeysConsole.USAGE).contains("vault", "card-index", "merchant-secrets", "operator-secrets", "release-checkpoint");
    }
}
