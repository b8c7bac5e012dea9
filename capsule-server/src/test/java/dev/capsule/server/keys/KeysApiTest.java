package dev.capsule.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.testing.server.CapsuleServerTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The keys module's API against the real server and database: signing, subject keys, pseudonyms, field encryption. */
@CapsuleServerTest
class KeysApiTest {
    private static final FieldPlace PLACE = new FieldPlace("platform", "audit-log", "17", "details");

    @Autowired
    PlatformSigner signer;
    @Autowired
    SubjectKeys subjects;
    @Autowired
    Pseudonyms pseudonyms;
    @Autowired
    FieldEncryption fields;
    @Autowired
    JdbcClient jdbc;

    @Test
    void signaturesArePlainEd25519ByThePurposesPrimaryKey() {
        byte[] message = "checkpoint body\n".getBytes(StandardCharsets.UTF_8);
        PlatformSignature signature = signer.sign(SigningPurpose.AUDIT_CHECKPOINT, message);
        assertThat(signature.key().verify(message, signature.signature())).isTrue();
        assertThat(signature.key().verify("other".getBytes(StandardCharsets.UTF_8), signature.signature())).isFalse();
        PlatformPublicKey primary = signer.primary(SigningPurpose.AUDIT_CHECKPOINT);
        assertThat(primary.key()).isEqualTo(signature.key());
        assertThat(primary.primary()).isTrue();
        assertThat(signer.publicKeys(SigningPurpose.AUDIT_CHECKPOINT)).containsExactly(primary);
    }

    @Test
    void eachSigningPurposeHasItsOwnKey() {
        assertThat(signer.primary(SigningPurpose.PACKAGE_COUNTERSIGNATURE).key())
                .isNotEqualTo(signer.primary(SigningPurpose.AUDIT_CHECKPOINT).key())
                .isNotEqualTo(signer.primary(SigningPurpose.REVOCATION_LIST).key());
    }

    @Test
    void subjectValuesOpenOnlyForTheirSubjectAndPlace() {
        UUID subject = UUID.randomUUID();
        byte[] sealed = subjects.seal(subject, "203.0.113.9".getBytes(StandardCharsets.UTF_8), PLACE);
        assertThat(subjects.open(subject, sealed, PLACE)).hasValueSatisfying(
                plaintext -> assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo("203.0.113.9"));
        assertThatThrownBy(() -> subjects.open(subject, sealed, new FieldPlace("platform", "audit-log", "18", "details")))
                .isInstanceOf(SealedValueException.class);
        UUID other = UUID.randomUUID();
        subjects.seal(other, new byte[1], PLACE);
        assertThatThrownBy(() -> subjects.open(other, sealed, PLACE)).isInstanceOf(SealedValueException.class);
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> subjects.open(subject, altered, PLACE)).isInstanceOf(SealedValueException.class);
    }

    @Test
    void erasingASubjectMakesItsValuesUnreadableAndSaysSo() {
        UUID subject = UUID.randomUUID();
        byte[] sealed = subjects.seal(subject, "secret".getBytes(StandardCharsets.UTF_8), PLACE);
        subjects.erase(subject);
        subjects.erase(subject);
        assertThat(subjects.open(subject, sealed, PLACE)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM keys_subject_keys WHERE subject = :s").param("s", subject)
                .query(Long.class).single()).isZero();
        // New data after erasure gets a new key; the old value stays unreadable.
        byte[] fresh = subjects.seal(subject, "new".getBytes(StandardCharsets.UTF_8), PLACE);
        assertThat(subjects.open(subject, fresh, PLACE)).isPresent();
        assertThat(subjects.open(subject, sealed, PLACE)).isEmpty();
    }

    @Test
    void aValueForASubjectWhoNeverHadAKeyIsRefused() {
        assertThatThrownBy(() -> subjects.open(UUID.randomUUID(), new byte[40], PLACE)).isInstanceOf(SealedValueException.class);
    }

    @Test
    void pseudonymsAreStable128BitHexTagsThatDifferPerValue() {
        String tag = pseudonyms.tag("203.0.113.9");
        assertThat(tag).matches("[0-9a-f]{32}").isEqualTo(pseudonyms.tag("203.0.113.9"));
        assertThat(pseudonyms.tag("203.0.113.10")).isNotEqualTo(tag);
        assertThatThrownBy(() -> pseudonyms.tag("x".repeat(Pseudonyms.VALUE_CHARS_MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldValuesCarryTheirKeyIdAndAreBoundToTheirPlace() {
        FieldPlace place = new FieldPlace("platform", "operators", UUID.randomUUID().toString(), "totp-secret");
        byte[] sealed = fields.seal(DataPurpose.OPERATOR_SECRETS, new byte[] {1, 2, 3}, place);
        assertThat(fields.open(DataPurpose.OPERATOR_SECRETS, sealed, place)).containsExactly(1, 2, 3);
        assertThat(Arrays.copyOf(sealed, FieldEncryption.PREFIX_BYTES))
                .isEqualTo(FieldEncryption.prefixOf(FieldEncryption.keyIdOf(sealed)));
        assertThat(jdbc.sql("SELECT key_id FROM keys_inventory WHERE purpose = 'operator-secrets' AND status = 'primary'")
                .query(String.class).single()).isEqualTo(String.format("%08x", FieldEncryption.keyIdOf(sealed)));
        FieldPlace moved = new FieldPlace("platform", "operators", UUID.randomUUID().toString(), "totp-secret");
        assertThatThrownBy(() -> fields.open(DataPurpose.OPERATOR_SECRETS, sealed, moved)).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> fields.open(DataPurpose.OPERATOR_SECRETS, new byte[] {0, 1}, place))
                .isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> fields.seal(DataPurpose.SUBJECT_DATA, new byte[1], place))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keySetsAreStoredOnlyEncrypted() {
        List<byte[]> stored = jdbc.sql("SELECT keyset FROM keys_keysets").query(byte[].class).list();
        // One key set per purpose made so far (other tests in this context may have used more purposes).
        assertThat(stored).hasSizeBetween(1, DataPurpose.values().length + SigningPurpose.values().length);
        assertThat(jdbc.sql("SELECT count(*) FROM keys_root").query(Long.class).single()).isEqualTo(1);
    }
}
