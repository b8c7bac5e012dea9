package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.minimalSources;
import static dev.capsule.core.pkg.TestPackages.utf8;
import static dev.capsule.core.pkg.TestPackages.writeSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackerTest {
    @TempDir
    Path tmp;

    private Reason packRejection(Path dir) {
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(dir));
        assertThat(e).as("pack must fail").isNotNull();
        return e.reason();
    }

    @Test
    void packIsByteIdenticalForTheSameInput() throws Exception {
        Path example = RepoPaths.example("todo");
        byte[] first = Packer.pack(example);
        // A copy with other timestamps and another location packs to the same bytes.
        Path copy = tmp.resolve("copy");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(example.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2030-05-05T05:05:05Z")));
                }
            }
        }
        assertThat(Packer.pack(copy)).isEqualTo(first);
        assertThat(Packer.pack(example)).isEqualTo(first);
    }

    @Test
    void leavesOutHiddenFilesAndPackOptionsIgnore() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/config"), "secret");
        Files.writeString(dir.resolve(".env"), "TOKEN=1");
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/notes.md"), "internal");
        Files.writeString(dir.resolve("design.psd"), "big");
        Files.writeString(dir.resolve("project.config.json"), """
                {"appid":"wx123","packOptions":{"ignore":[{"type":"folder","value":"docs"},{"type":"suffix","value":".psd"}]}}""");
        CapsulePackage pkg = PackageReader.read(Packer.pack(dir));
        assertThat(pkg.paths()).containsExactly("app.js", "app.json", "capsule.json", "pages/index/index.js", "project.config.json");
    }

    @Test
    void invalidGlobInPackOptionsIsAClearError() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.writeString(dir.resolve("project.config.json"), "{\"packOptions\":{\"ignore\":[{\"type\":\"glob\",\"value\":\"{a,b\"}]}}");
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(dir));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST);
        assertThat(e.getMessage()).contains("not a valid glob");
    }

    @Test
    void catastrophicRegexpInPackOptionsIsStopped() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.writeString(dir.resolve("aaaaaaaaaaaaaaaaaaaaaaaa!"), "x");
        Files.writeString(dir.resolve("project.config.json"), "{\"packOptions\":{\"ignore\":[{\"type\":\"regexp\",\"value\":\"(.*a){12}x\"}]}}");
        long start = System.nanoTime();
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(dir));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST);
        assertThat(e.getMessage()).contains("takes too long");
    }

    @Test
    void rejectsSymlinkInSources() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.createSymbolicLink(dir.resolve("leak.js"), Path.of("/etc/passwd"));
        assertThat(packRejection(dir)).isEqualTo(Reason.NOT_REGULAR_FILE);
    }

    @Test
    void rejectsMissingOrInvalidCapsuleJson() throws Exception {
        var files = minimalSources();
        files.remove("capsule.json");
        assertThat(packRejection(writeSources(tmp.resolve("a"), files))).isEqualTo(Reason.INVALID_MANIFEST);
        String typo = "{\"id\":\"com.example.x\",\"version\":\"1.0.0\",\"name\":\"X\",\"developer\":{\"id\":\"x\",\"name\":\"X\"},\"netwrok\":{}}";
        Path dir = writeSources(tmp.resolve("b"), minimalSourcesWith("capsule.json", typo));
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(dir));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST);
        assertThat(e.getMessage()).contains("unknown field 'netwrok'");
    }

    @Test
    void rejectsPageWithoutScript() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSourcesWith("app.json", "{\"pages\":[\"pages/index/index\",\"pages/gone/gone\"]}"));
        assertThat(packRejection(dir)).isEqualTo(Reason.INVALID_MANIFEST);
    }

    @Test
    void rejectsReservedMetadataFolder() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.createDirectories(dir.resolve("_capsule"));
        Files.writeString(dir.resolve("_capsule/manifest.sha256"), "forged");
        assertThat(packRejection(dir)).isEqualTo(Reason.UNSAFE_PATH);
    }

    @Test
    void rejectsFileOverLimitWithoutReadingIt() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.write(dir.resolve("huge.png"), new byte[PackageLimits.FILE_BYTES_MAX + 1]);
        assertThat(packRejection(dir)).isEqualTo(Reason.FILE_TOO_LARGE);
    }

    @Test
    void keepsRoomForTwoSignaturesWithinTheEntryLimit() throws Exception {
        PackageLimits host = new PackageLimits(PackageLimits.ARCHIVE_BYTES_MAX, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX,
                PackageLimits.PACKAGE_BYTES_MAX, PackageLimits.PACKAGE_FILES_MAX, PackageLimits.FILE_BYTES_MAX,
                PackageLimits.UNCOMPRESSED_BYTES_MAX, 50, PackageLimits.COMPRESSION_RATIO_MAX);
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        for (int i = 0; i < host.entriesMax() - Packer.RESERVED_ENTRIES - minimalSources().size() + 1; i++) {
            Files.writeString(dir.resolve("f" + i + ".js"), "x");
        }
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(dir, host));
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        Files.delete(dir.resolve("f0.js"));
        byte[] packed = Packer.pack(dir, host);
        byte[] twice = PackageSigner.sign(PackageSigner.sign(packed, dev.capsule.core.crypto.SigningKey.generate(), Role.DEVELOPER, host),
                dev.capsule.core.crypto.SigningKey.generate(), Role.PLATFORM, host);
        assertThat(PackageReader.read(twice, host).signatures()).hasSize(2);
    }

    @Test
    void highlyCompressibleFileIsStoredSoTheReaderAcceptsIt() throws Exception {
        Path dir = writeSources(tmp.resolve("src"), minimalSources());
        Files.write(dir.resolve("zeros.json"), new byte[200_000]);
        assertThat(PackageReader.read(Packer.pack(dir)).fileSize("zeros.json")).isEqualTo(200_000);
    }

    private static java.util.SortedMap<String, byte[]> minimalSourcesWith(String path, String content) {
        var files = minimalSources();
        files.put(path, utf8(content));
        return files;
    }
}
