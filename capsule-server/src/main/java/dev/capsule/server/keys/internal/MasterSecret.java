package dev.capsule.server.keys.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master secret of the {@code local} KMS: 32 bytes from {@code CAPSULE_MASTER_KEY} (base64, e.g.
 * {@code openssl rand -base64 32}) or, when that is not set, from {@code <data-dir>/keys/master.key}
 * (mode 600). When neither exists, one is generated into the data directory with a loud warning:
 * fine for development, wrong for production (the secret then sits next to the data it protects).
 *
 * <p>Security guarantees: the secret is never logged or printed ({@link #toString()} names its source
 * only); a key file that group or others may read is refused; a secret of the wrong length is
 * refused at start. Its only use is deriving the keystore key ({@link #derive}).
 */
final class MasterSecret {
    static final int KEY_BYTES = 32;
    static final String KEY_FILE = "keys/master.key";
    /** A base64 32-byte key is 44 characters; anything much longer is not a key. */
    static final int KEY_TEXT_CHARS_MAX = 256;
    static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Logger log = LoggerFactory.getLogger("capsule");

    private final byte[] secret;
    private final String source;
    private final boolean generated;

    private MasterSecret(byte[] secret, String source, boolean generated) {
        this.secret = secret;
        this.source = source;
        this.generated = generated;
    }

    /** The configured secret if {@code configured} is non-blank, else the data directory's key file (made if missing). */
    static MasterSecret load(String configured, Path dataDir) {
        return load(configured, dataDir, true);
    }

    /** As {@link #load(String, Path)}; with {@code mayGenerate} false, a missing key file is an error instead. */
    static MasterSecret load(String configured, Path dataDir, boolean mayGenerate) {
        if (configured != null && !configured.isBlank()) {
            return new MasterSecret(decode(configured.strip(), "CAPSULE_MASTER_KEY (capsule.master-key)"), "CAPSULE_MASTER_KEY", false);
        }
        Path file = dataDir.resolve(KEY_FILE);
        if (!mayGenerate && !Files.exists(file)) {
            throw new IllegalStateException("no master secret: set CAPSULE_MASTER_KEY, or give the server's data directory "
                    + "(--data-dir; it holds " + KEY_FILE + ")");
        }
        try {
            if (!Files.exists(file) && create(file)) {
                warnGenerated(file);
                return new MasterSecret(read(file), file.toString(), true);
            }
            return new MasterSecret(read(file), file.toString(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("master key file " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Where the secret came from (a name, never the secret). */
    String source() {
        return source;
    }

    /** Whether this start generated the secret (development only). */
    boolean generated() {
        return generated;
    }

    /** HKDF-SHA256 of the secret (salt and info name the use), {@code length} bytes. */
    byte[] derive(String salt, String info, int length) {
        return KeyDerivation.hkdfSha256(secret, salt.getBytes(StandardCharsets.UTF_8), info.getBytes(StandardCharsets.UTF_8), length);
    }

    @Override
    public String toString() {
        return "MasterSecret[" + source + ", <redacted>]";
    }

    private static void warnGenerated(Path file) {
        List<String> lines = List.of(
                "****************************************************************************************",
                "*  WARNING: NO MASTER SECRET WAS CONFIGURED. A NEW ONE WAS GENERATED INTO",
                "*  " + file,
                "*  Everything the platform encrypts depends on it, and it now sits beside the data.",
                "*  This is for DEVELOPMENT ONLY. In production set CAPSULE_MASTER_KEY",
                "*  (openssl rand -base64 32), kept apart from the data directory and its backups,",
                "*  the same on every node. See docs/keys.md.",
                "****************************************************************************************");
        lines.forEach(log::warn);
    }

    private static boolean create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            // Created with owner-only permissions: the key is never readable by others, even briefly.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] read(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IllegalStateException("master key file " + file + " is accessible by other users ("
                    + PosixFilePermissions.toString(permissions) + "); allow the owner only: chmod 600");
        }
        if (Files.size(file) > KEY_TEXT_CHARS_MAX) {
            throw new IllegalStateException("master key file " + file + " is not a base64 " + KEY_BYTES + "-byte key");
        }
        return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), "master key file " + file);
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
}
