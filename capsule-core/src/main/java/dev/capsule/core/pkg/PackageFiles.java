package dev.capsule.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading .capsule files from disk without ever holding more than the archive limit. */
public final class PackageFiles {
    private PackageFiles() {}

    /**
     * Reads at most {@code limits.archiveBytesMax()} bytes; a larger file is rejected after reading
     * one byte past the limit, however large it is.
     */
    public static byte[] readArchive(Path file, PackageLimits limits) throws IOException, PackageException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes(limits.archiveBytesMax() + 1);
            if (data.length > limits.archiveBytesMax()) {
                throw new PackageException(Reason.ARCHIVE_TOO_LARGE,
                        "archive is larger than " + limits.archiveBytesMax() + " bytes, the limit for a package");
            }
            return data;
        }
    }
}
