package dev.capsule.core.pkg;

/**
 * Size limits for a package (spec §4). A host may lower them; the defaults match WeChat's main
 * package and the zip-bomb defence.
 *
 * @param archiveBytesMax largest .capsule file (compressed)
 * @param uncompressedBytesMax sum of all entries' uncompressed sizes
 * @param fileBytesMax largest single entry, uncompressed
 * @param entriesMax most entries in the archive, metadata included
 * @param compressionRatioMax largest uncompressed/compressed ratio of any entry
 */
public record PackageLimits(int archiveBytesMax, long uncompressedBytesMax, int fileBytesMax, int entriesMax, int compressionRatioMax) {
    public static final int ARCHIVE_BYTES_MAX = 2 * 1024 * 1024;
    public static final long UNCOMPRESSED_BYTES_MAX = 20L * 1024 * 1024;
    public static final int FILE_BYTES_MAX = 1024 * 1024;
    public static final int ENTRIES_MAX = 1000;
    public static final int COMPRESSION_RATIO_MAX = 100;

    public static final PackageLimits DEFAULTS =
            new PackageLimits(ARCHIVE_BYTES_MAX, UNCOMPRESSED_BYTES_MAX, FILE_BYTES_MAX, ENTRIES_MAX, COMPRESSION_RATIO_MAX);

    public PackageLimits {
        if (archiveBytesMax <= 0 || uncompressedBytesMax <= 0 || fileBytesMax <= 0 || entriesMax <= 0 || compressionRatioMax <= 0) {
            throw new IllegalArgumentException("package limits must be positive");
        }
        if (archiveBytesMax > ARCHIVE_BYTES_MAX || uncompressedBytesMax > UNCOMPRESSED_BYTES_MAX || fileBytesMax > FILE_BYTES_MAX
                || entriesMax > ENTRIES_MAX || compressionRatioMax > COMPRESSION_RATIO_MAX) {
            throw new IllegalArgumentException("package limits may be lowered, never raised above the defaults");
        }
    }
}
