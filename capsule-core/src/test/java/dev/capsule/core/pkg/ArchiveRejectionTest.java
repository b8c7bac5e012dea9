package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.crafter;
import static dev.capsule.core.pkg.TestPackages.minimalSources;
import static dev.capsule.core.pkg.TestPackages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.testing.ZipCrafter;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every archive-level rejection, each with a crafted archive that has exactly that defect. */
class ArchiveRejectionTest {

    private static Reason rejection(byte[] archive) {
        PackageException e = catchThrowableOfType(PackageException.class, () -> PackageReader.read(archive));
        assertThat(e).as("archive must be rejected").isNotNull();
        assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        return e.reason();
    }

    private static byte[] withExtraFile(String name, byte[] data) {
        var files = minimalSources();
        ZipCrafter zip = crafter(files);
        zip.add(name, data);
        return zip.build();
    }

    @Test
    void craftedCanonicalArchiveIsAccepted() throws PackageException {
        // The baseline every crafted case departs from by one defect.
        CapsulePackage pkg = PackageReader.read(crafter(minimalSources()).build());
        assertThat(pkg.paths()).containsExactly("app.js", "app.json", "capsule.json", "pages/index/index.js");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.js", "a/../../evil.js", "pages/../../x", "/etc/passwd", "..", "a/./b.js", "a//b.js"})
    void rejectsZipSlipNames(String name) {
        assertThat(rejection(withExtraFile(name, utf8("x")))).isEqualTo(Reason.UNSAFE_PATH);
    }

    @Test
    void rejectsBackslashName() {
        assertThat(rejection(withExtraFile("..\\..\\evil.js", utf8("x")))).isEqualTo(Reason.UNSAFE_PATH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C:/Windows/evil.js", "c:evil.js", "file.js:stream", "nul\u0000.js", "tab\tname.js"})
    void rejectsDriveLettersColonsAndControlCharacters(String name) {
        assertThat(rejection(withExtraFile(name, utf8("x")))).isEqualTo(Reason.UNSAFE_PATH);
    }

    @Test
    void rejectsSymlinkEntry() {
        ZipCrafter zip = crafter(minimalSources());
        zip.add("link.js", utf8("/etc/passwd")).externalAttributes = 0120777L << 16;
        assertThat(rejection(zip.build())).isEqualTo(Reason.NOT_REGULAR_FILE);
    }

    @Test
    void rejectsSymlinkModeWhateverTheHostByteSays() {
        ZipCrafter dos = crafter(minimalSources());
        ZipCrafter.Entry e = dos.add("link.js", utf8("App({})"));
        e.versionMadeBy = 20; // MS-DOS host, Unix symlink mode in the high bits: unzip still makes a link
        e.externalAttributes = 0120777L << 16;
        assertThat(rejection(dos.build())).isEqualTo(Reason.NOT_REGULAR_FILE);
        ZipCrafter vms = crafter(minimalSources());
        vms.add("link.js", utf8("App({})")).versionMadeBy = (2 << 8) | 20;
        assertThat(rejection(vms.build())).isEqualTo(Reason.UNSUPPORTED_ZIP_FEATURE);
    }

    @Test
    void rejectsDirectoryEntry() {
        ZipCrafter zip = crafter(minimalSources());
        zip.add("pages/", new byte[0]).externalAttributes = (040755L << 16) | 0x10;
        assertThat(rejection(zip.build())).isEqualTo(Reason.NOT_REGULAR_FILE);
    }

    @Test
    void rejectsDuplicateNames() {
        ZipCrafter zip = crafter(minimalSources());
        zip.add("app.js", utf8("App({evil:true})"));
        assertThat(rejection(zip.build())).isEqualTo(Reason.DUPLICATE_NAME);
    }

    @Test
    void rejectsNamesDifferingOnlyInCase() {
        assertThat(rejection(withExtraFile("APP.js", utf8("x")))).isEqualTo(Reason.DUPLICATE_NAME);
    }

    @Test
    void rejectsNonUtf8Name() {
        ZipCrafter zip = crafter(minimalSources());
        zip.add(new byte[] {'a', (byte) 0xff, (byte) 0xfe, '.', 'j', 's'}, utf8("x"));
        assertThat(rejection(zip.build())).isEqualTo(Reason.NON_UTF8_NAME);
    }

    @Test
    void rejectsNonAsciiNameWithoutUtf8Flag() {
        // Other readers decode such names as CP437 and would see another file name.
        ZipCrafter zip = crafter(minimalSources());
        ZipCrafter.Entry e = zip.add("pages/é.js", utf8("x"));
        e.flags = 0;
        assertThat(rejection(zip.build())).isEqualTo(Reason.NON_UTF8_NAME);
    }

    @Test
    void rejectsNamesDifferingOnlyInUnicodeNormalization() {
        var files = minimalSources();
        files.put("caf\u00e9.js", utf8("a"));
        files.put("cafe\u0301.js", utf8("b"));
        assertThat(rejection(crafter(files).build())).isEqualTo(Reason.DUPLICATE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\u202esj.txt", "zero\u200bwidth.js", "nel\u0085.js", "csi\u009b2J.js", "line\u2028sep.js"})
    void rejectsInvisibleAndC1CharactersInNames(String name) {
        assertThat(rejection(withExtraFile(name, utf8("x")))).isEqualTo(Reason.UNSAFE_PATH);
    }

    @Test
    void rejectsOverlongUtf8EncodingOfSlash() {
        // 0xC0 0xAF is an overlong '/', a classic path-check bypass; strict UTF-8 decoding refuses it.
        ZipCrafter zip = crafter(minimalSources());
        zip.add(new byte[] {'.', '.', (byte) 0xc0, (byte) 0xaf, 'x'}, utf8("x"));
        assertThat(rejection(zip.build())).isEqualTo(Reason.NON_UTF8_NAME);
    }

    @Test
    void rejectsEncryptedEntry() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().flags |= 1;
        assertThat(rejection(zip.build())).isEqualTo(Reason.ENCRYPTED_ENTRY);
    }

    @Test
    void rejectsAesEncryptedEntry() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().method = 99;
        assertThat(rejection(zip.build())).isEqualTo(Reason.ENCRYPTED_ENTRY);
    }

    @Test
    void rejectsFileNotCoveredByDigestManifest() {
        assertThat(rejection(withExtraFile("utils/extra.js", utf8("module.exports = 1")))).isEqualTo(Reason.UNCOVERED_FILE);
    }

    @Test
    void rejectsUnknownMetadataEntry() {
        assertThat(rejection(withExtraFile("_capsule/extra.json", utf8("{}")))).isEqualTo(Reason.UNCOVERED_FILE);
    }

    @Test
    void rejectsFileListedButAbsent() {
        var files = minimalSources();
        var listed = new TreeMap<>(files);
        listed.put("utils/gone.js", utf8("x"));
        ZipCrafter zip = new ZipCrafter();
        files.forEach(zip::add);
        zip.add(DigestManifest.PATH, DigestManifest.of(listed).encode());
        assertThat(rejection(zip.build())).isEqualTo(Reason.MISSING_FILE);
    }

    @Test
    void rejectsDigestMismatch() {
        var files = minimalSources();
        ZipCrafter zip = crafter(files);
        zip.entries().stream().filter(e -> new String(e.name).equals("app.js")).findFirst().orElseThrow().data = utf8("App({x:1})");
        assertThat(rejection(zip.build())).isEqualTo(Reason.DIGEST_MISMATCH);
    }

    @Test
    void rejectsMissingDigestManifest() {
        ZipCrafter zip = new ZipCrafter();
        minimalSources().forEach(zip::add);
        assertThat(rejection(zip.build())).isEqualTo(Reason.MALFORMED_METADATA);
    }

    @Test
    void rejectsMoreEntriesThanTheArchiveTotal() {
        ZipCrafter zip = crafter(minimalSources());
        for (int i = 0; i < PackageLimits.ENTRIES_MAX; i++) {
            zip.add("assets/f" + i + ".txt", new byte[0]);
        }
        assertThat(rejection(zip.build())).isEqualTo(Reason.TOO_MANY_ENTRIES);
    }

    @Test
    void rejectsFileOverOneMegabyte() {
        byte[] big = new byte[PackageLimits.FILE_BYTES_MAX + 1];
        new Random(1).nextBytes(big);
        ZipCrafter zip = crafter(minimalSources());
        zip.add("assets/big.bin", big).method = 0;
        assertThat(rejection(zip.build())).isEqualTo(Reason.FILE_TOO_LARGE);
    }

    @Test
    void rejectsMoreUncompressedBytesThanTheArchiveTotal() {
        // Declared sizes are checked before anything is inflated, so the bodies need not be real.
        ZipCrafter zip = crafter(minimalSources());
        for (int i = 0; i <= PackageLimits.UNCOMPRESSED_BYTES_MAX / PackageLimits.FILE_BYTES_MAX; i++) {
            ZipCrafter.Entry e = zip.add("assets/part" + i + ".bin", new byte[0]);
            e.body = new byte[20_000];
            e.declaredSize = (long) PackageLimits.FILE_BYTES_MAX;
        }
        assertThat(rejection(zip.build())).isEqualTo(Reason.TOTAL_TOO_LARGE);
    }

    @Test
    void rejectsArchiveOverTwentyMegabytes() {
        assertThat(rejection(new byte[PackageLimits.ARCHIVE_BYTES_MAX + 1])).isEqualTo(Reason.ARCHIVE_TOO_LARGE);
    }

    @Test
    void rejectsCompressionRatioOverHundred() {
        ZipCrafter zip = crafter(minimalSources());
        zip.add("assets/zeros.bin", new byte[500_000]);
        assertThat(rejection(zip.build())).isEqualTo(Reason.COMPRESSION_RATIO);
    }

    @Test
    void rejectsTruncatedArchiveAtEveryLength() {
        byte[] archive = crafter(minimalSources()).build();
        for (int length = 0; length < archive.length; length++) {
            byte[] cut = Arrays.copyOf(archive, length);
            assertThatThrownBy(() -> PackageReader.read(cut)).as("truncated to %d bytes", length).isInstanceOf(PackageException.class);
        }
        assertThat(rejection(Arrays.copyOf(archive, archive.length / 2))).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsCorruptDeflateData() {
        ZipCrafter zip = crafter(minimalSources());
        ZipCrafter.Entry e = zip.entries().getFirst();
        e.body = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsCrcMismatch() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().crc = 12345;
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsLocalHeaderNamingAnotherFile() {
        // Two readers, two files: a central directory saying app.js over a local header saying evil.js.
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().localName = utf8("evil.j");
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsOverlappingEntries() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().get(1).localOffsetOverride = 0L;
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsPrependedData() {
        ZipCrafter zip = crafter(minimalSources());
        zip.prefix = utf8("#!/bin/sh\necho hidden\n");
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsArchiveComment() {
        ZipCrafter zip = crafter(minimalSources());
        zip.comment = utf8("hello");
        assertThat(rejection(zip.build())).isEqualTo(Reason.UNSUPPORTED_ZIP_FEATURE);
    }

    @Test
    void rejectsDataDescriptor() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().flags |= 1 << 3;
        assertThat(rejection(zip.build())).isEqualTo(Reason.UNSUPPORTED_ZIP_FEATURE);
    }

    @Test
    void rejectsExtraFields() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().extra = new byte[] {0x55, 0x54, 1, 0, 0};
        assertThat(rejection(zip.build())).isEqualTo(Reason.UNSUPPORTED_ZIP_FEATURE);
    }

    @Test
    void rejectsUnsupportedCompressionMethod() {
        ZipCrafter zip = crafter(minimalSources());
        zip.entries().getFirst().method = 12; // bzip2
        assertThat(rejection(zip.build())).isEqualTo(Reason.UNSUPPORTED_ZIP_FEATURE);
    }

    @Test
    void rejectsEntryCountDisagreeingWithDirectory() {
        ZipCrafter zip = crafter(minimalSources());
        zip.declaredEntryCount = zip.entries().size() - 1;
        assertThat(rejection(zip.build())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void rejectsEmptyInputAndNonZip() {
        assertThat(rejection(new byte[0])).isEqualTo(Reason.CORRUPT);
        assertThat(rejection(utf8("this is not a zip archive, just some text of some length"))).isEqualTo(Reason.CORRUPT);
    }
}
