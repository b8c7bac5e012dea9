package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.payments.CardDataAccess;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rotating the vault's keys: the {@code vault} rotation re-seals every card number and name, the {@code card-index}
 * rotation re-indexes every tag, in batches; duplicates are found under either key meanwhile; the old keys are retired
 * only when no row uses them, and every card still opens.
 */
@CapsuleServerTest
class CardVaultRotationTest {
    /** More than two re-wrap batches ({@link KeyRotations#BATCH_SIZE}). */
    private static final int CARDS = 450;
    private static final Duration FINISH_MAX = Duration.ofSeconds(120);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired KeyRotations rotations;
    @Autowired CardVault vault;
    @Autowired KeyedIndex index;
    @Autowired FieldEncryption fields;
    @Autowired JdbcClient jdbc;

    private record Saved(PayerId payer, String number, CardToken token) {
    }

    @Test
    void rotatingVaultAndCardIndexReencryptsAndReindexesEveryCardAndThenRetiresTheOldKeys() throws Exception {
        MerchantId merchant = TestMerchants.create(jdbc, fields, "Rotation Shop").id();
        List<Saved> saved = new ArrayList<>();
        for (int i = 0; i < CARDS; i++) {
            PayerId payer = new PayerId("rotation-" + i + "-" + System.nanoTime());
            String number = number();
            saved.add(new Saved(payer, number, vault.add(payer, merchant, card(number)).token()));
        }
        byte[] first = saved.getFirst().number().getBytes(StandardCharsets.US_ASCII);
        KeyedIndex.Tag oldTag = index.tag(DataPurpose.CARD_INDEX, first);
        assertThat(index.candidates(DataPurpose.CARD_INDEX, first)).containsExactly(oldTag);

        RotationStatus vaultRotation = rotations.start(KeyPurpose.of(DataPurpose.VAULT), null);
        RotationStatus indexRotation = rotations.start(KeyPurpose.of(DataPurpose.CARD_INDEX), null);

        // While rows are re-indexed, lookups try the new key and the old one.
        List<KeyedIndex.Tag> during = index.candidates(DataPurpose.CARD_INDEX, first);
        assertThat(during).hasSize(2);
        assertThat(HexFormat.of().toHexDigits(during.get(0).keyId())).isEqualTo(indexRotation.newKeyId());
        assertThat(during.get(1)).isEqualTo(oldTag);
        assertThat(vault.add(saved.getFirst().payer(), merchant, card(saved.getFirst().number())).token())
                .isEqualTo(saved.getFirst().token());

        assertThat(awaitFinished(vaultRotation.id()).state()).isEqualTo("done");
        assertThat(awaitFinished(indexRotation.id()).state()).isEqualTo("done");

        assertThat(status("vault", vaultRotation.oldKeyId())).isEqualTo("retired");
        assertThat(status("card-index", indexRotation.oldKeyId())).isEqualTo("retired");
        int oldVaultKey = Integer.parseUnsignedInt(vaultRotation.oldKeyId(), 16);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM payments_card
                WHERE substring(number_sealed FROM 1 FOR 5) = :p OR substring(holder_sealed FROM 1 FOR 5) = :p""")
                .param("p", FieldEncryption.prefixOf(oldVaultKey)).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM payments_card WHERE index_key_id = :k")
                .param("k", Long.parseLong(indexRotation.oldKeyId(), 16)).query(Long.class).single()).isZero();
        // The retired index key is no longer tried; every card is still found as a duplicate and still opens.
        assertThat(index.candidates(DataPurpose.CARD_INDEX, first)).hasSize(1).doesNotContain(oldTag);
        for (int i = 0; i < CARDS; i += 37) {
            Saved card = saved.get(i);
            assertThat(vault.add(card.payer(), merchant, card(card.number())).token()).isEqualTo(card.token());
            assertThat(vault.withCard(card.token(), merchant, Optional.of(card.payer()), PaymentIntentId.random(),
                    opened -> opened.number().digits(CardDataAccess.get()))).contains(card.number());
        }
    }

    private static CardDetails card(String number) {
        return new CardDetails(CardNumber.parse(number), YearMonth.now().plusYears(2), "Rotation Holder", Optional.empty());
    }

    private static String number() {
        StringBuilder digits = new StringBuilder("5");
        while (digits.length() < 15) {
            digits.append(RANDOM.nextInt(10));
        }
        for (int check = 0; ; check++) {
            if (CardNumber.luhn(digits.toString() + check)) {
                return digits.toString() + check;
            }
        }
    }

    private RotationStatus awaitFinished(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            RotationStatus status = rotations.status(id).orElseThrow();
            if (status.finished()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rotation " + id + " did not finish within " + FINISH_MAX + ": " + rotations.status(id));
    }

    private String status(String purpose, String keyId) {
        return jdbc.sql("SELECT status FROM keys_inventory WHERE purpose = :p AND key_id = :k").param("p", purpose).param("k", keyId)
                .query(String.class).single();
    }
}
