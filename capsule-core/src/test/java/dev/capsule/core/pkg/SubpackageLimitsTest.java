package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.minimalSources;
import static dev.capsule.core.pkg.TestPackages.utf8;
import static dev.capsule.core.pkg.TestPackages.withManifest;
import static dev.capsule.core.pkg.TestPackages.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * WeChat's limits count per (sub)package: the main package and each subpackage may each hold 1,000
 * files and 2 MiB compressed, all together within the archive totals. Packer and PackageReader both
 * apply them and name the package over a limit.
 */
class SubpackageLimitsTest {
    private static final String[] SUBPACKAGES = {"a", "b", "c"};

    /** The minimal app with three subpackages a/, b/, c/ (one page each), named after their roots. */
    private static SortedMap<String, byte[]> threeSubpackages() {
        var files = minimalSources();
        files.put("app.json", utf8("""
                {"pages":["pages/index/index"],"subpackages":[
                 {"root":"a","pages":["index"]},{"root":"b","name":"shop","pages":["index"]},{"root":"c","pages":["index"]}]}"""));
        for (String root : SUBPACKAGES) {
            files.put(root + "/index.js", utf8("Page({})"));
        }
        return files;
    }

    /** Fills a subpackage up to {@code count} files in all (its page included). */
    private static void fill(SortedMap<String, byte[]> files, String root, int count) {
        for (int i = 1; i < count; i++) {
            files.put(root + "/lib/f" + i + ".js", utf8("module.exports=" + i));
        }
    }

    private static byte[] noise(int bytes, long seed) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static PackageException rejection(Executable action) {
        PackageException e = catchThrowableOfType(PackageException.class, action::execute);
        assertThat(e).as("must be rejected").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    @Test
    void threeSubpackagesOfAThousandFilesEachPackAndRead() throws Exception {
        var files = threeSubpackages();
        for (String root : SUBPACKAGES) {
            fill(files, root, PackageLimits.PACKAGE_FILES_MAX);
        }
        assertThat(files.size()).isGreaterThan(3 * PackageLimits.PACKAGE_FILES_MAX);
        CapsulePackage pkg = PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
        assertThat(pkg.paths()).hasSize(files.size());
    }

    @Test
    void oneFileOverAThousandInOneSubpackageFailsNamingIt() {
        var files = threeSubpackages();
        for (String root : SUBPACKAGES) {
            fill(files, root, PackageLimits.PACKAGE_FILES_MAX);
        }
        files.put("b/one-too-many.js", utf8("1"));
        PackageException packed = rejection(() -> Packer.pack(files, PackageLimits.DEFAULTS));
        assertThat(packed.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(packed.getMessage()).startsWith("subpackage 'shop' (b/) has 1001 files; the limit is 1000 files per (sub)package");
        // The reader applies the same rule to an archive written without Packer's checks.
        PackageException read = rejection(() -> PackageReader.read(write(withManifest(files))));
        assertThat(read.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(read.getMessage()).contains("subpackage 'shop' (b/) has 1001 files");
    }

    @Test
    void theMainPackageCountsOnItsOwn() {
        var files = threeSubpackages();
        fill(files, "pages", PackageLimits.PACKAGE_FILES_MAX - 2);
        assertThatThrownBy(() -> Packer.pack(files, PackageLimits.DEFAULTS)).isInstanceOf(PackageException.class)
                .hasMessageStartingWith("the main package has 1001 files");
    }

    @Test
    void eachPackageMayHoldNearlyTwoMebibytesCompressedThoughTheWholeIsLarger() throws Exception {
        var files = threeSubpackages();
        for (int i = 0; i < SUBPACKAGES.length; i++) {
            // Random bytes do not compress: two 0.9 MiB images per subpackage, 1.8 MiB each, 5.4 MiB in all.
            files.put(SUBPACKAGES[i] + "/one.png", noise(900 * 1024, i));
            files.put(SUBPACKAGES[i] + "/two.png", noise(900 * 1024, 10 + i));
        }
        byte[] archive = Packer.pack(files, PackageLimits.DEFAULTS);
        assertThat(archive.length).as("more than one package's limit, in one archive").isGreaterThan(2 * PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX);
        assertThat(PackageReader.read(archive).paths()).contains("c/two.png");
    }

    @Test
    void aPackageOverTwoMebibytesCompressedFailsNamingIt() {
        var files = threeSubpackages();
        files.put("c/one.png", noise(PackageLimits.FILE_BYTES_MAX, 1));
        files.put("c/two.png", noise(PackageLimits.FILE_BYTES_MAX, 2));
        files.put("c/three.png", noise(1024, 3));
        PackageException e = rejection(() -> Packer.pack(files, PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_TOO_LARGE);
        assertThat(e.getMessage()).startsWith("subpackage 'c' (c/) is ").contains("bytes compressed; the limit is 2097152 bytes per (sub)package");
        PackageException read = rejection(() -> PackageReader.read(write(withManifest(files))));
        assertThat(read.getMessage()).startsWith("subpackage 'c' (c/) is ");
    }

    @Test
    void theMainPackageIsLimitedToTwoMebibytesCompressedToo() {
        var files = threeSubpackages();
        files.put("images/one.png", noise(PackageLimits.FILE_BYTES_MAX, 1));
        files.put("images/two.png", noise(PackageLimits.FILE_BYTES_MAX, 2));
        assertThatThrownBy(() -> Packer.pack(files, PackageLimits.DEFAULTS)).isInstanceOf(PackageException.class)
                .hasMessageStartingWith("the main package is ");
    }

    @Test
    void aPackageOverItsUncompressedLimitFailsNamingIt() {
        var files = threeSubpackages();
        // Zeros compress past the ratio limit, so they are stored; the uncompressed count trips first anyway.
        int count = (int) (PackageLimits.PACKAGE_BYTES_MAX / PackageLimits.FILE_BYTES_MAX) + 1;
        for (int i = 0; i < count; i++) {
            files.put("a/data/" + i + ".json", new byte[PackageLimits.FILE_BYTES_MAX]);
        }
        PackageException e = rejection(() -> Packer.pack(files, PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.TOTAL_TOO_LARGE);
        assertThat(e.getMessage()).startsWith("subpackage 'a' (a/) is " + ((long) count * PackageLimits.FILE_BYTES_MAX + 8)
                + " bytes uncompressed; the limit is " + PackageLimits.PACKAGE_BYTES_MAX);
    }

    @Test
    void aHostMayLowerThePerPackageLimitsAndTheReaderAppliesThem() throws Exception {
        var files = threeSubpackages();
        fill(files, "a", 10);
        byte[] archive = Packer.pack(files, PackageLimits.DEFAULTS);
        PackageLimits host = new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX,
                PackageLimits.PACKAGE_BYTES_MAX, 9, PackageLimits.FILE_BYTES_MAX, PackageLimits.UNCOMPRESSED_BYTES_MAX,
                PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX);
        assertThat(rejection(() -> PackageReader.read(archive, host)).getMessage()).startsWith("subpackage 'a' (a/) has 10 files; the limit is 9");
        PackageLimits tighterBytes = new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, 50, PackageLimits.PACKAGE_BYTES_MAX,
                PackageLimits.PACKAGE_FILES_MAX, PackageLimits.FILE_BYTES_MAX, PackageLimits.UNCOMPRESSED_BYTES_MAX,
                PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX);
        assertThat(rejection(() -> PackageReader.read(archive, tighterBytes)).getMessage()).startsWith("the main package is ").contains("bytes compressed; the limit is 50 bytes");
    }

    @Test
    void theArchiveTotalAppliesAcrossPackages() {
        // A host with a 3 MiB archive limit: two subpackages of 1.8 MiB each are fine alone, not together.
        PackageLimits host = new PackageLimits(3 * 1024 * 1024, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX, PackageLimits.PACKAGE_BYTES_MAX,
                PackageLimits.PACKAGE_FILES_MAX, PackageLimits.FILE_BYTES_MAX, PackageLimits.UNCOMPRESSED_BYTES_MAX,
                PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX);
        var files = threeSubpackages();
        for (int i = 0; i < 2; i++) {
            files.put(SUBPACKAGES[i] + "/one.png", noise(900 * 1024, i));
            files.put(SUBPACKAGES[i] + "/two.png", noise(900 * 1024, 10 + i));
        }
        PackageException e = rejection(() -> Packer.pack(files, host));
        assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_TOO_LARGE);
        assertThat(e.getMessage()).contains("the limit is 3145728 bytes compressed, less " + Packer.RESERVED_SIGNATURE_BYTES);
    }

    @Test
    void limitsMayBeLoweredNeverRaised() {
        assertThatThrownBy(() -> new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX + 1,
                PackageLimits.PACKAGE_BYTES_MAX, PackageLimits.PACKAGE_FILES_MAX, PackageLimits.FILE_BYTES_MAX,
                PackageLimits.UNCOMPRESSED_BYTES_MAX, PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never raised");
        assertThatThrownBy(() -> new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX,
                PackageLimits.PACKAGE_BYTES_MAX, PackageLimits.PACKAGE_FILES_MAX + 1, PackageLimits.FILE_BYTES_MAX,
                PackageLimits.UNCOMPRESSED_BYTES_MAX, PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never raised");
        assertThatThrownBy(() -> new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, 0, PackageLimits.PACKAGE_BYTES_MAX,
                PackageLimits.PACKAGE_FILES_MAX, PackageLimits.FILE_BYTES_MAX, PackageLimits.UNCOMPRESSED_BYTES_MAX,
                PackageLimits.ENTRIES_MAX, PackageLimits.COMPRESSION_RATIO_MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
