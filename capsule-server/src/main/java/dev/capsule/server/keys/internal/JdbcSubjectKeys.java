package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.TableRewrites;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link SubjectKeys}: each subject's data key is a one-key Tink AES-256-GCM key set, stored in
 * {@code keys_subject_keys} encrypted under the {@code subject-data} key set (associated data = the
 * subject id), with the id of the key that wrapped it (what rotation re-wraps). Erasing deletes that
 * row and leaves a tombstone (subject id and time only) in {@code keys_erased_subjects}, so that
 * {@link #open} can say "erased" instead of "tampered"; the platform's {@link TableRewrites} then rewrites the
 * table so the deleted bytes leave its files.
 */
@Component
class JdbcSubjectKeys implements SubjectKeys {
    static final KeyPurpose PURPOSE = KeyPurpose.of(DataPurpose.SUBJECT_DATA);
    /** Largest plaintext sealed for a subject (personal details, not files). */
    static final int PLAINTEXT_BYTES_MAX = 1024 * 1024;
    /** Rewritten after an erasure, so the deleted key's bytes leave the table's files (one short row per subject: quick). */
    static final String SUBJECT_KEYS_TABLE = "keys_subject_keys";

    private final Keysets keysets;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyEventPublisher events;
    private final KeyMetrics metrics;
    private final TableRewrites rewrites;

    JdbcSubjectKeys(Keysets keysets, JdbcClient jdbc, TransactionTemplate transactions, KeyEventPublisher events,
            KeyMetrics metrics, TableRewrites rewrites) {
        this.keysets = keysets;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.metrics = metrics;
        this.rewrites = rewrites;
    }

    @Override
    public byte[] seal(UUID subject, byte[] plaintext, FieldPlace place) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(place, "place");
        if (plaintext == null || plaintext.length > PLAINTEXT_BYTES_MAX) {
            throw new IllegalArgumentException("a sealed subject value holds 0 to " + PLAINTEXT_BYTES_MAX + " bytes");
        }
        Wrapped wrapped = wrapped(subject).orElseGet(() -> create(subject));
        try {
            byte[] sealed = unwrap(subject, wrapped).encrypt(plaintext, associatedData(subject, place));
            metrics.count(PURPOSE, "seal", true);
            return sealed;
        } catch (GeneralSecurityException e) {
            metrics.count(PURPOSE, "seal", false);
            throw new IllegalStateException("sealing for a subject failed", e);
        }
    }

    @Override
    public Optional<byte[]> open(UUID subject, byte[] sealed, FieldPlace place) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(sealed, "sealed");
        Optional<Wrapped> wrapped = wrapped(subject);
        if (wrapped.isEmpty()) {
            if (erased(subject)) {
                return Optional.empty();
            }
            throw new SealedValueException();
        }
        try {
            byte[] plaintext = unwrap(subject, wrapped.get()).decrypt(sealed, associatedData(subject, place));
            metrics.count(PURPOSE, "open", true);
            return Optional.of(plaintext);
        } catch (GeneralSecurityException e) {
            // A value sealed under an erased key, for a subject who has a new key since: erased, not tampered.
            if (erased(subject) && !sealedUnderCurrentKey(sealed, wrapped.get(), subject)) {
                return Optional.empty();
            }
            metrics.count(PURPOSE, "open", false);
            throw new SealedValueException();
        }
    }

    @Override
    public void erase(UUID subject) {
        Objects.requireNonNull(subject, "subject");
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM keys_subject_keys WHERE subject = :s").param("s", subject).update();
            jdbc.sql("INSERT INTO keys_erased_subjects (subject, erased_at) VALUES (:s, now()) ON CONFLICT DO NOTHING")
                    .param("s", subject).update();
            events.publish(new KeyEvent(KeyEvent.Kind.SUBJECT_KEY_ERASE, PURPOSE.code(), null, subject,
                    KeyEventPublisher.actor().orElse(null)));
        });
        rewrites.request(SUBJECT_KEYS_TABLE);
    }

    @Override
    public String toString() {
        return "JdbcSubjectKeys[<keys redacted>]";
    }

    /** A subject's stored key set, encrypted, and the id of the subject-data key that encrypted it. */
    record Wrapped(byte[] keyset, int wrappingKeyId) {
        @Override
        public String toString() {
            return "Wrapped[under " + Integer.toHexString(wrappingKeyId) + ", <redacted>]";
        }
    }

    Optional<Wrapped> wrapped(UUID subject) {
        return jdbc.sql("SELECT wrapped, wrapping_key_id FROM keys_subject_keys WHERE subject = :s").param("s", subject)
                .query((rs, n) -> new Wrapped(rs.getBytes(1), (int) rs.getLong(2))).optional();
    }

    /** The subject's key set re-encrypted under the subject-data primary key (what rotation does to each row). */
    Wrapped rewrap(UUID subject, Wrapped wrapped) {
        return wrap(subject, open(subject, wrapped));
    }

    private Wrapped create(UUID subject) {
        KeysetHandle handle;
        try {
            handle = KeysetHandle.generateNew(AeadWiring.KEYSET_PARAMETERS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a subject key", e);
        }
        Wrapped wrapped = wrap(subject, handle);
        jdbc.sql("""
                INSERT INTO keys_subject_keys (subject, wrapped, wrapping_key_id, created_at)
                VALUES (:s, :w, :k, now()) ON CONFLICT DO NOTHING""")
                .param("s", subject).param("w", wrapped.keyset()).param("k", Integer.toUnsignedLong(wrapped.wrappingKeyId()))
                .update();
        // Another node may have made the subject's key first: use whichever is stored.
        return wrapped(subject).orElseThrow(() -> new IllegalStateException("subject key vanished while being created"));
    }

    private Wrapped wrap(UUID subject, KeysetHandle handle) {
        Keysets.Loaded wrapping = keysets.current(PURPOSE);
        try {
            byte[] keyset = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, wrapping.primitive(Aead.class),
                    subjectData(subject));
            return new Wrapped(keyset, wrapping.primaryId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap a subject key", e);
        }
    }

    private KeysetHandle open(UUID subject, Wrapped wrapped) {
        Keysets.Loaded wrapping = keysets.current(PURPOSE);
        if (!wrapping.enables(wrapped.wrappingKeyId())) {
            wrapping = keysets.afterMiss(PURPOSE);
        }
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped.keyset(), wrapping.primitive(Aead.class), subjectData(subject));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored subject key does not open under the subject-data keys (altered?)");
        }
    }

    private Aead unwrap(UUID subject, Wrapped wrapped) {
        try {
            return open(subject, wrapped).getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a subject key set is not AES-GCM", e);
        }
    }

    private boolean sealedUnderCurrentKey(byte[] sealed, Wrapped wrapped, UUID subject) {
        if (sealed.length < 5) {
            return false;
        }
        int keyId = ((sealed[1] & 0xff) << 24) | ((sealed[2] & 0xff) << 16) | ((sealed[3] & 0xff) << 8) | (sealed[4] & 0xff);
        return open(subject, wrapped).getPrimary().getId() == keyId;
    }

    private boolean erased(UUID subject) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM keys_erased_subjects WHERE subject = :s)").param("s", subject)
                .query(Boolean.class).single();
    }

    private static byte[] subjectData(UUID subject) {
        return ("capsule-subject-key/1\n" + subject).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(UUID subject, FieldPlace place) {
        byte[] placeData = place.associatedData();
        byte[] prefix = ("capsule-subject/1\n" + subject + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[prefix.length + placeData.length];
        System.arraycopy(prefix, 0, data, 0, prefix.length);
        System.arraycopy(placeData, 0, data, prefix.length, placeData.length);
        return data;
    }
}
