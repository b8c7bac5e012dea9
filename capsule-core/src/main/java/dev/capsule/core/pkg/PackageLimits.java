package dev.capsule.core.pkg;

/**
 * Size limits for a package (spec §4, docs/package-format.md). WeChat's limits apply to each
 * (sub)package — the main package and each subpackage separately — and to the whole; the totals
 * bound the memory one read may take. A host may lower any of them, never raise them.
 *
 * @param archiveBytesMax largest .capsule file (compressed, all packages and signatures together)
 * @param packageCompressedBytesMax largest (sub)package: the compressed sizes of its files added up
 * @param packageBytesMax largest (sub)package: the uncompressed sizes of its files added up
 * @param packageFilesMax most files in one (sub)package
 * @param fileBytesMax largest single entry, uncompressed
 * @param uncompressedBytesMax sum of all entries' uncompressed sizes (bounds memory)
 * @param entriesMax most entries in the archive, metadata included (bounds memory)
 * @param compressionRatioMax largest uncompressed/compressed ratio of any entry
 */
public record PackageLimits(int archiveBytesMax, int packageCompressedBytesMax, long packageBytesMax, int packageFilesMax,
        int fileBytesMax, long uncompressedBytesMax, int entriesMax, int compressionRatioMax) {
    /** WeChat: all packages together at most 20 MiB; Capsule's signatures fit in the slack below. */
    public static final int ARCHIVE_BYTES_MAX = 20 * 1024 * 1024;
    /** WeChat: the main package and each subpackage at most 2 MiB compressed. */
    public static final int PACKAGE_COMPRESSED_BYTES_MAX = 2 * 1024 * 1024;
    /** Uncompressed size of one (sub)package. */
    public static final long PACKAGE_BYTES_MAX = 20L * 1024 * 1024;
    /** Files in one (sub)package. */
    public static final int PACKAGE_FILES_MAX = 1000;
    public static final int FILE_BYTES_MAX = 1024 * 1024;
    /** Uncompressed size of everything in one archive: what one read may hold in memory. */
    public static final long UNCOMPRESSED_BYTES_MAX = 64L * 1024 * 1024;
    /** Entries in one archive, metadata included. */
    public static final int ENTRIES_MAX = 10_000;
    public static final int COMPRESSION_RATIO_MAX = 100;

    public static final PackageLimits DEFAULTS = new PackageLimits(ARCHIVE_BYTES_MAX, PACKAGE_COMPRESSED_BYTES_MAX, PACKAGE_BYTES_MAX,
            PACKAGE_FILES_MAX, FILE_BYTES_MAX, UNCOMPRESSED_BYTES_MAX, ENTRIES_MAX, COMPRESSION_RATIO_MAX);

    public PackageLimits {
        if (archiveBytesMax <= 0 || packageCompressedBytesMax <= 0 || packageBytesMax <= 0 || packageFilesMax <= 0 || fileBytesMax <= 0
                || uncompressedBytesMax <= 0 || entriesMax <= 0 || compressionRatioMax <= 0) {
            throw new IllegalArgumentException("package limits must be positive");
        }
        if (archiveBytesMax > ARCHIVE_BYTES_MAX || packageCompressedBytesMax > PACKAGE_COMPRESSED_BYTES_MAX || packageBytesMax > PACKAGE_BYTES_MAX
                || packageFilesMax > PACKAGE_FILES_MAX || fileBytesMax > FILE_BYTES_MAX || uncompressedBytesMax > UNCOMPRESSED_BYTES_MAX
                || entriesMax > ENTRIES_MAX || compressionRatioMax > COMPRESSION_RATIO_MAX) {
            throw new IllegalArgumentException("package limits may be lowered, never raised above the defaults");
        }
    }
}
