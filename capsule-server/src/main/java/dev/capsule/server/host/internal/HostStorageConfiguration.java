package dev.capsule.server.host.internal;

import com.google.crypto.tink.Aead;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageLimits;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.keys.SubjectKeys;
import java.security.GeneralSecurityException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform's {@link Storage} for hosted sessions: the runtime's {@link EncryptedStorage} over PostgreSQL
 * ({@link PostgresBlobStore}), shared by the sessions of this node, with the runtime's default limits.
 *
 * <p>Security guarantees: the master key that wraps an area's data keys is the keys module's per-subject encryption
 * ({@link SubjectKeys}) under a data subject of that area alone ({@link #areaSubject}: one per user and
 * mini-program): AES-256-GCM whose key exists only wrapped under the platform's {@code subject-data} key set, so
 * rotating that key set re-wraps it and the storage stays readable (no stored value is re-encrypted), and erasing
 * one person (the privacy module) destroys their areas' keys and nobody else's. The associated data the runtime
 * gives (area, purpose) is bound through the SHA-256 of it in the {@link FieldPlace}, so a wrapped key copied to
 * another area does not open. Areas written before V104 were wrapped under one subject for everyone,
 * {@link #LEGACY_STORAGE_SUBJECT}; they stay readable through it until the person's erasure deletes them.
 */
@Configuration(proxyBeanMethods = false)
class HostStorageConfiguration {
    /** The data subject whose key wrapped every area's keys before V104 (a fixed name, never a person's id). */
    static final UUID LEGACY_STORAGE_SUBJECT = UUID.nameUUIDFromBytes("capsule.host.storage/1".getBytes(StandardCharsets.UTF_8));

    @Bean
    EncryptedStorage hostStorage(JdbcClient jdbc, SubjectKeys subjectKeys) {
        return storage(jdbc, subjectKeys);
    }

    /** The storage over {@code jdbc}'s database: the home region's (this bean) and each other region's ({@link RegionalStorage}). */
    static EncryptedStorage storage(JdbcClient jdbc, SubjectKeys subjectKeys) {
        return EncryptedStorage.over(new PostgresBlobStore(jdbc),
                (app, user) -> new SubjectAead(subjectKeys, areaSubject(app, user)), StorageLimits.DEFAULTS);
    }

    /**
     * The data subject whose key wraps the area of {@code pairwiseUserId} in {@code app}: a name-based UUID of the
     * pair (the pairwise id is itself a keyed pseudonym, so the UUID names no person).
     */
    static UUID areaSubject(String app, String pairwiseUserId) {
        return UUID.nameUUIDFromBytes(("capsule.host.storage/2\n" + app + "\n" + pairwiseUserId).getBytes(StandardCharsets.UTF_8));
    }

    /** Tink's {@link Aead} over {@link SubjectKeys} for one area's subject (reading pre-V104 areas through the legacy one). */
    record SubjectAead(SubjectKeys keys, UUID subject) implements Aead {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
            return keys.seal(subject, plaintext, place(associatedData));
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
            FieldPlace place = place(associatedData);
            try {
                return keys.open(subject, ciphertext, place)
                        .orElseThrow(() -> new GeneralSecurityException("the storage area's key was erased"));
            } catch (SealedValueException e) {
                try {
                    return keys.open(LEGACY_STORAGE_SUBJECT, ciphertext, place)
                            .orElseThrow(() -> new GeneralSecurityException("the host storage's legacy key was erased"));
                } catch (SealedValueException legacy) {
                    throw new GeneralSecurityException("a wrapped storage key does not open", e);
                }
            }
        }

        private static FieldPlace place(byte[] associatedData) {
            return new FieldPlace("platform", "host_storage_blobs", Sha256.of(associatedData).hex(), "keys");
        }

        @Override
        public String toString() {
            return "SubjectAead[host storage]";
        }
    }
}
