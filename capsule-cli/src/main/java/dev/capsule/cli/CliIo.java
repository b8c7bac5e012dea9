package dev.capsule.cli;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageFiles;
import dev.capsule.core.pkg.PackageLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** File input and output for the commands, turning every failure into one clear {@link CliFailure}. */
final class CliIo {
    /** Key files are tiny; reading more than this means it is not a key file. */
    static final int KEY_FILE_BYTES_MAX = 16 * 1024;

    private CliIo() {}

    static byte[] readArchive(Path file) throws CliFailure {
        try {
            return PackageFiles.readArchive(file, PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            throw rejected(e);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + file + ": " + describe(e));
        }
    }

    static SigningKey readSigningKey(Path file) throws CliFailure {
        try {
            return SigningKey.fromPem(readKeyText(file));
        } catch (KeyFormatException e) {
            throw CliFailure.usage(file + ": " + e.getMessage());
        }
    }

    static VerifyingKey readVerifyingKey(Path file) throws CliFailure {
        try {
            return VerifyingKey.fromPem(readKeyText(file));
        } catch (KeyFormatException e) {
            throw CliFailure.usage(file + ": " + e.getMessage());
        }
    }

    private static String readKeyText(Path file) throws CliFailure {
        try (var in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes(KEY_FILE_BYTES_MAX + 1);
            if (data.length > KEY_FILE_BYTES_MAX) {
                throw CliFailure.usage(file + ": too large to be a key file");
            }
            return new String(data, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read key " + file + ": " + describe(e));
        }
    }

    /** Writes through a temporary file and a rename, so a failure never leaves a half-written file. */
    static void writeAtomically(Path target, byte[] data) throws CliFailure {
        Path absolute = target.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(absolute.getParent(), ".capsule-", ".tmp");
            Files.write(tmp, data);
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliFailure(ExitCode.REJECTED, "cannot write " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the rename normally consumed it.
                }
            }
        }
    }

    static CliFailure rejected(PackageException e) {
        return CliFailure.rejected("rejected (" + e.reason().code() + "): " + e.getMessage());
    }

    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
