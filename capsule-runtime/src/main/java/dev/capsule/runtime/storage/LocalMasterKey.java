package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A master key (key-encryption key) for {@link EncryptedStorage} kept in a local file, for
 * development and the command line.
 *
 * <p><strong>Development only.</strong> The key-encryption key is stored <em>in plaintext</em> in a
 * Tink JSON keyset file, usually next to the data it protects: anyone who can read that file can
 * decrypt every area. Encryption at rest then protects only against someone who gets the data
 * without the key file (a copied data directory, a backup of it alone). A production host passes a
 * master {@link Aead} from its key management (a KMS) instead; the server's key management
 * replaces this class.
 *
 * <p>Security guarantees: the file is created with mode 600 (POSIX), written completely before it
 * appears, and never overwritten; an existing file that group or others may access is refused, as
 * SSH refuses such private keys.
 */
public final class LocalMasterKey {
    /** A one-key AES-256-GCM keyset in Tink JSON is about 300 bytes. */
    public static final int FILE_BYTES_MAX = 64 * 1024;

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private LocalMasterKey() {}

    /**
     * A fresh master key held only in memory: whatever it protects is unreadable once the process
     * ends. For hosts and runs that keep nothing (the CLI's {@code capsule run} without --data-dir).
     */
    public static Aead ephemeral() {
        TinkPrimitives.ensureRegistered();
        try {
            return TinkPrimitives.aead(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot generate an AES-256-GCM key", e);
        }
    }

    /**
     * The master key in {@code keysetFile}, created (AES-256-GCM, mode 600) if the file does not exist.
     *
     * @throws StorageException {@code IO} if the file cannot be read or written, or other users may
     *     access it; {@code UNREADABLE} if it is not a Tink AEAD keyset
     */
    public static Aead loadOrCreate(Path keysetFile) throws StorageException {
        TinkPrimitives.ensureRegistered();
        try {
            if (!Files.exists(keysetFile)) {
                create(keysetFile);
            }
            return load(keysetFile);
        } catch (IOException e) {
            throw new StorageException(Reason.IO, "master key file " + keysetFile + " cannot be used: " + e.getClass().getSimpleName(), e);
        } catch (GeneralSecurityException e) {
            throw new StorageException(Reason.UNREADABLE, "master key file " + keysetFile + " is not a Tink AEAD keyset");
        }
    }

    private static void create(Path file) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                    : new FileAttribute<?>[0]);
        }
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        Path temp = Files.createTempFile(dir, ".tmp-master-", ".part", posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0]);
        try {
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // A hard link never replaces an existing file: if another process created the key first,
            // its key wins and this one is discarded, so no data is ever encrypted under a lost key.
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException e) {
            // Created concurrently by someone else: load theirs.
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Aead load(Path file) throws IOException, GeneralSecurityException, StorageException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new StorageException(Reason.IO, "master key file " + file + " is accessible by other users ("
                        + PosixFilePermissions.toString(permissions) + "); allow the owner only: chmod 600");
            }
        }
        try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ)) {
            if (in.size() > FILE_BYTES_MAX) {
                throw new GeneralSecurityException("master key file too large");
            }
            ByteBuffer buffer = ByteBuffer.allocate(FILE_BYTES_MAX + 1);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // Reads to the end, or one byte past the limit.
            }
            if (buffer.position() > FILE_BYTES_MAX) {
                throw new GeneralSecurityException("master key file too large");
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            KeysetHandle keys = TinkJsonProtoKeysetFormat.parseKeyset(Utf8.decode(bytes), InsecureSecretKeyAccess.get());
            return TinkPrimitives.aead(keys);
        } catch (CharacterCodingException e) {
            throw new GeneralSecurityException("master key file is not UTF-8", e);
        }
    }
}
