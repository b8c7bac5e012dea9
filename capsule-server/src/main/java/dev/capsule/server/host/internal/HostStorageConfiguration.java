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
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform's {@link Storage} for hosted sessions: the runtime's {@link EncryptedStorage} over PostgreSQL
 * ({@link PostgresBlobStore}), shared by the sessions of this node, with the runtime's default limits.
 *
 * <p>Security guarantees: the master key that wraps each area's data keys is the keys module's per-subject
 * encryption ({@link SubjectKeys}) under one subject of its own, {@link #STORAGE_SUBJECT}: AES-256-GCM whose key
 * exists only wrapped under the platform's {@code subject-data} key set, so rotating that key set re-wraps it and
 * the storage stays readable (no stored value is re-encrypted), and erasing the subject makes every end user's
 * storage unreadable at once. The associated data the runtime gives (area, purpose) is bound through the SHA-256 of
 * it in the {@link FieldPlace}, so a wrapped key copied to another area does not open.
 */
@Configuration(proxyBeanMethods = false)
class HostStorageConfiguration {
    /** The data subject whose key wraps the host storage's area keys (a fixed name, never a person's id). */
    static final UUID STORAGE_SUBJECT = UUID.nameUUIDFromBytes("capsule.host.storage/1".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @Bean
    Storage hostStorage(JdbcClient jdbc, SubjectKeys subjectKeys) {
        return EncryptedStorage.over(new PostgresBlobStore(jdbc), new SubjectAead(subjectKeys), StorageLimits.DEFAULTS);
    }

    /** Tink's {@link Aead} over {@link SubjectKeys} for {@link #STORAGE_SUBJECT}. */
    record SubjectAead(SubjectKeys keys) implements Aead {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
            return keys.seal(STORAGE_SUBJECT, plaintext, place(associatedData));
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
            try {
                return keys.open(STORAGE_SUBJECT, ciphertext, place(associatedData))
                        .orElseThrow(() -> new GeneralSecurityException("the host storage's key was erased"));
            } catch (SealedValueException e) {
                throw new GeneralSecurityException("a wrapped storage key does not open", e);
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
