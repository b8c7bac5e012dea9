package dev.capsule.server.identity.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import dev.capsule.server.identity.SecretSealing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link SecretSealing} with Tink AES-256-GCM under a 32-byte master key taken from
 * {@code CAPSULE_MASTER_KEY} (base64, e.g. {@code openssl rand -base64 32}) or, when that is not set,
 * from {@code <data-dir>/keys/master.key} (created on first start, mode 600). Every node of a
 * multi-node deployment must be given the same {@code CAPSULE_MASTER_KEY}.
 *
 * <p>Security guarantees: the key is never logged or printed; a key file that group or others may
 * read is refused; a key of the wrong length is refused at start.
 */
final class MasterKeySealing implements SecretSealing {
    static final int KEY_BYTES = 32;
    static final String KEY_FILE = "keys/master.key";
    /** A base64 32-byte key is 44 characters; anything much longer is not a key. */
    static final int KEY_TEXT_CHARS_MAX = 256;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Aead aead;
    private final String source;

    private MasterKeySealing(byte[] key, String source) {
        this.aead = aead(key);
        this.source = source;
    }

    /** The configured key if {@code configured} is non-blank, else the data directory's key file. */
    static MasterKeySealing load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new MasterKeySealing(decode(configured.strip(), "CAPSULE_MASTER_KEY (capsule.master-key)"), "CAPSULE_MASTER_KEY");
        }
        Path file = dataDir.resolve(KEY_FILE);
        return new MasterKeySealing(loadOrCreate(file), file.toString());
    }

    /** Where the key came from (a name, never the key). */
    String source() {
        return source;
    }

    @Override
    public byte[] seal(byte[] plaintext, String context) {
        try {
            return aead.encrypt(plaintext, context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, String context) {
        try {
            return aead.decrypt(sealed, context.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed secret does not open under the master key (wrong key or tampered)");
        }
    }

    @Override
    public String toString() {
        return "MasterKeySealing[" + source + "]";
    }

    private static byte[] decode(String text, String name) {
        if (text.length() > KEY_TEXT_CHARS_MAX) {
            throw new IllegalStateException(name + " is not a base64 " + KEY_BYTES + "-byte key");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not base64 (make one with: openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(name + " must be " + KEY_BYTES + " bytes, base64-encoded, not " + key.length + " bytes");
        }
        return key;
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Path directory = file.getParent();
                Files.createDirectories(directory);
                byte[] key = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(key);
                try {
                    // Created with owner-only permissions: the key is never readable by others, even briefly.
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                            StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                    return key;
                } catch (FileAlreadyExistsException raced) {
                    // Created concurrently: use that one.
                }
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new IllegalStateException("master key file " + file + " is accessible by other users ("
                        + PosixFilePermissions.toString(permissions) + "); allow the owner only: chmod 600");
            }
            if (Files.size(file) > KEY_TEXT_CHARS_MAX) {
                throw new IllegalStateException("master key file " + file + " is not a base64 " + KEY_BYTES + "-byte key");
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), "master key file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("master key file " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static Aead aead(byte[] key) {
        try {
            AeadConfig.register();
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES).setIvSizeBytes(12).setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
            AesGcmKey aesKey = AesGcmKey.builder().setParameters(parameters)
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get())).build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(aesKey).withRandomId().makePrimary()).build();
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot use the master key as AES-256-GCM", e);
        }
    }
}
