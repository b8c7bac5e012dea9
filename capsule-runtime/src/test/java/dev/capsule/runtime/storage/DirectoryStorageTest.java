package dev.capsule.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.crypto.tink.Aead;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EncryptedStorage#inDirectory}: what reaches the disk, and what survives a restart. */
class DirectoryStorageTest {
    private static final String APP = "com.example.todo";
    private static final String ALICE = "alice-pairwise-id";
    private static final String BOB = "bob-pairwise-id";

    @TempDir
    Path temp;

    private final Aead master = TestMasterKeys.newMasterKey();

    private Path dataDir() {
        return temp.resolve("data");
    }

    private EncryptedStorage newStorage(Aead masterKey) throws StorageException {
        return EncryptedStorage.inDirectory(dataDir(), masterKey, StorageLimits.DEFAULTS);
    }

    @Test
    void valuesPersistAcrossInstancesWithTheSameMasterKey() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        area.set("todo", "[\"milk\"]");
        area.set("gone", "1");
        area.remove("gone");

        StorageArea reopened = newStorage(master).open(APP, ALICE);
        assertThat(reopened.get("todo")).hasValue("[\"milk\"]");
        assertThat(reopened.info()).isEqualTo(new StorageInfo(List.of("todo"), StorageLimits.entryCostBytes(4, 8), StorageLimits.AREA_BYTES_MAX));
    }

    @Test
    void aDifferentMasterKeyCannotOpenTheArea() throws Exception {
        newStorage(master).open(APP, ALICE).set("k", "1");
        assertFails(() -> newStorage(TestMasterKeys.newMasterKey()).open(APP, ALICE), Reason.UNREADABLE);
    }

    @Test
    void neitherValuesNorKeysNorIdsAppearOnDisk() throws Exception {
        String key = "very-private-key-name";
        String value = "\"very private value 秘密\"";
        newStorage(master).open(APP, ALICE).set(key, value);

        List<Path> files = filesUnder(dataDir());
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String name = dataDir().relativize(file).toString();
            assertThat(name).matches("[0-9a-f]{64}/([0-9a-f]{64}\\.record|area\\.keys)");
            byte[] bytes = Files.readAllBytes(file);
            for (String secret : List.of(key, value, "very private", APP, ALICE)) {
                assertThat(indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8))).as("%s in %s", secret, name).isEqualTo(-1);
            }
        }
    }

    @Test
    void pathLikeKeysNeverBecomePaths() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        List<String> keys = List.of("../../etc/passwd", "../escape", "a/b", "/abs", "\u0000", "..", "C:\\x", "area.keys");
        for (String key : keys) {
            area.set(key, "\"x\"");
        }
        assertThat(filesUnder(temp)).allSatisfy(file -> assertThat(dataDir().relativize(file).toString())
                .matches("[0-9a-f]{64}/([0-9a-f]{64}\\.record|area\\.keys)"));
        assertThat(filesUnder(temp)).hasSize(keys.size() + 1);
        assertThat(newStorage(master).open(APP, ALICE).info().keys()).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void directoriesAreOwnerOnlyAndFilesOwnerReadWrite() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        newStorage(master).open(APP, ALICE).set("k", "1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir()))).isEqualTo("rwx------");
        for (Path file : filesUnder(dataDir())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void recordFileSwappedBetweenUsersDoesNotDecrypt() throws Exception {
        EncryptedStorage storage = newStorage(master);
        Path aliceRecord = setAndFindFile(storage.open(APP, ALICE), "k", "\"alice\"");
        StorageArea bob = storage.open(APP, BOB);
        Path bobRecord = setAndFindFile(bob, "k", "\"bob\"");
        Files.copy(aliceRecord, bobRecord, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFails(() -> bob.get("k"), Reason.UNREADABLE);
        assertFails(() -> newStorage(master).open(APP, BOB).get("k"), Reason.UNREADABLE);
    }

    @Test
    void keysFileSwappedBetweenAreasDoesNotUnwrap() throws Exception {
        EncryptedStorage storage = newStorage(master);
        Path aliceRecord = setAndFindFile(storage.open(APP, ALICE), "k", "1");
        Path bobRecord = setAndFindFile(storage.open(APP, BOB), "k", "1");
        Files.copy(aliceRecord.resolveSibling("area.keys"), bobRecord.resolveSibling("area.keys"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFails(() -> newStorage(master).open(APP, BOB), Reason.UNREADABLE);
        assertThat(newStorage(master).open(APP, ALICE).get("k")).hasValue("1");
    }

    @Test
    void flippedByteOnDiskIsUnreadableBeforeAndAfterRestart() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        Path record = setAndFindFile(area, "k", "\"value\"");
        byte[] bytes = Files.readAllBytes(record);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(record, bytes);
        assertFails(() -> area.get("k"), Reason.UNREADABLE);
        assertFails(() -> newStorage(master).open(APP, ALICE).get("k"), Reason.UNREADABLE);
    }

    @Test
    void oversizeFileIsUnreadableWithoutBeingReadAndClearRecovers() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        Path record = setAndFindFile(area, "k", "1");
        long huge = 1L << 30; // sparse: costs no disk, and reading it whole would take seconds and a GiB
        try (RandomAccessFile file = new RandomAccessFile(record.toFile(), "rw")) {
            file.setLength(huge);
        }
        assertFails(() -> area.get("k"), Reason.UNREADABLE);

        StorageArea reopened = newStorage(master).open(APP, ALICE);
        assertThat(reopened.info().keys()).isEmpty();
        assertThat(reopened.info().currentBytes()).isEqualTo(StorageLimits.storedCostBytes(huge));
        assertFails(() -> reopened.set("other", "1"), Reason.QUOTA_EXCEEDED);
        reopened.clear();
        assertThat(reopened.info().currentBytes()).isZero();
        reopened.set("other", "1");
        assertThat(Files.exists(record)).isFalse();
    }

    @Test
    void leftoversOfInterruptedWritesAreSweptAndStrayFilesIgnored() throws Exception {
        Path record = setAndFindFile(newStorage(master).open(APP, ALICE), "k", "1");
        Path leftover = record.resolveSibling(".tmp-123.part");
        Path stray = record.resolveSibling("notes.txt");
        Files.writeString(leftover, "half");
        Files.writeString(stray, "hello");
        StorageArea reopened = newStorage(master).open(APP, ALICE);
        assertThat(Files.exists(leftover)).isFalse();
        assertThat(reopened.info().keys()).containsExactly("k");
        assertThat(reopened.info().currentBytes()).isEqualTo(StorageLimits.entryCostBytes(1, 1));
    }

    @Test
    void tenThousandOneByteValuesStopAtTheKeyLimitAndTheReportCoversTheDisk() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        int stored = 0;
        try {
            for (int i = 0; i < 10_000; i++) {
                area.set("k" + i, "1");
                stored++;
            }
        } catch (StorageException e) {
            assertThat(e.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
        }
        assertThat(stored).isEqualTo(StorageLimits.KEYS_MAX);
        List<Path> records = filesUnder(dataDir()).stream().filter(f -> f.getFileName().toString().endsWith(".record")).toList();
        assertThat(records).hasSize(StorageLimits.KEYS_MAX);
        long reported = area.info().currentBytes();
        long keyAndValueBytes = 0;
        long fileBytes = 0;
        for (int i = 0; i < stored; i++) {
            keyAndValueBytes += ("k" + i).length() + 1;
        }
        for (Path record : records) {
            fileBytes += Files.size(record);
        }
        // The encryption framing is within what the quota counts for it.
        assertThat(fileBytes).isLessThanOrEqualTo(keyAndValueBytes + (long) stored * StorageLimits.RECORD_OVERHEAD_BYTES);
        // What the disk allocated (st_blocks) is covered, and overcounted by at most a block and the metadata per entry.
        Process find = new ProcessBuilder("find", dataDir().toString(), "-name", "*.record", "-printf", "%b\\n").redirectErrorStream(true).start();
        String blocks = new String(find.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(find.waitFor()).as("GNU find reads allocated blocks (Debian's findutils): %s", blocks).isZero();
        long allocated = blocks.lines().mapToLong(Long::parseLong).sum() * 512;
        assertThat(reported).isGreaterThanOrEqualTo(allocated)
                .isLessThanOrEqualTo(allocated + (long) stored * (StorageLimits.FILE_BLOCK_BYTES + StorageLimits.FILE_METADATA_BYTES));
        assertThat(reported).as("reported %d for %d bytes of keys and values", reported, keyAndValueBytes).isGreaterThan(100 * keyAndValueBytes);
    }

    @Test
    void replacingAValueLeavesOneRecordFile() throws Exception {
        StorageArea area = newStorage(master).open(APP, ALICE);
        Path first = setAndFindFile(area, "k", "1");
        area.set("k", "2");
        assertThat(filesUnder(first.getParent())).containsExactlyInAnyOrder(first, first.resolveSibling("area.keys"));
    }

    @Test
    void unusableDirectoryIsAnIoFailure() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertFails(() -> EncryptedStorage.inDirectory(file, master, StorageLimits.DEFAULTS), Reason.IO);
    }

    private Path setAndFindFile(StorageArea area, String key, String value) throws Exception {
        List<Path> before = filesUnder(dataDir());
        area.set(key, value);
        List<Path> added = new ArrayList<>(filesUnder(dataDir()));
        added.removeAll(before);
        added.removeIf(path -> path.getFileName().toString().equals("area.keys"));
        assertThat(added).hasSize(1);
        return added.getFirst();
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertFails(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
