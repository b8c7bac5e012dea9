package dev.capsule.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Behaviour of storage areas, on the in-memory store; on-disk specifics are in {@link DirectoryStorageTest}. */
class EncryptedStorageTest {
    private static final String APP = "com.example.todo";
    private static final String OTHER_APP = "com.example.notes";
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final int MIB = 1024 * 1024;

    private final Aead master = TestMasterKeys.newMasterKey();
    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final EncryptedStorage storage = EncryptedStorage.over(blobs, master, StorageLimits.DEFAULTS);

    @Test
    void valueRoundTripsAndIsReplacedBySet() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        assertThat(area.get("todo")).isEmpty();
        area.set("todo", "[{\"title\":\"milk\",\"done\":false}]");
        assertThat(area.get("todo")).hasValue("[{\"title\":\"milk\",\"done\":false}]");
        area.set("todo", "[]");
        assertThat(area.get("todo")).hasValue("[]");
    }

    @Test
    void valuesRoundTripExactlyIncludingNonAsciiAndEmptyText() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        for (String value : List.of("", "\"\"", "\"中文 🎉 é\"", "\"\\u0000\"", "{\"a\":[1,2,{\"b\":null}]}")) {
            area.set("k", value);
            assertThat(area.get("k")).hasValue(value);
        }
    }

    @Test
    void openingTheSameAreaTwiceSharesItsData() throws Exception {
        storage.open(APP, ALICE).set("k", "1");
        assertThat(storage.open(APP, ALICE).get("k")).hasValue("1");
    }

    @Test
    void eachAreaCanHaveAMasterKeyOfItsOwnAndAnotherAreasKeyDoesNotOpenIt() throws Exception {
        Aead alicesKey = TestMasterKeys.newMasterKey();
        Aead bobsKey = TestMasterKeys.newMasterKey();
        MasterKeys perArea = (app, user) -> user.equals(ALICE) ? alicesKey : bobsKey;
        EncryptedStorage.over(blobs, perArea, StorageLimits.DEFAULTS).open(APP, ALICE).set("k", "\"alice\"");
        EncryptedStorage.over(blobs, perArea, StorageLimits.DEFAULTS).open(APP, BOB).set("k", "\"bob\"");

        assertThat(EncryptedStorage.over(blobs, perArea, StorageLimits.DEFAULTS).open(APP, ALICE).get("k")).hasValue("\"alice\"");
        MasterKeys swapped = (app, user) -> user.equals(ALICE) ? bobsKey : alicesKey;
        assertThatThrownBy(() -> EncryptedStorage.over(blobs, swapped, StorageLimits.DEFAULTS).open(APP, ALICE))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void eraseDeletesEveryRecordAndTheKeysOfOneAreaAndNoOther() throws Exception {
        storage.open(APP, ALICE).set("a", "1");
        storage.open(APP, ALICE).set("b", "2");
        storage.open(OTHER_APP, ALICE).set("a", "3");
        storage.open(APP, BOB).set("a", "4");
        String name = EncryptedStorage.areaName(APP, ALICE);

        assertThat(storage.erase(APP, ALICE)).isEqualTo(2);

        assertThat(blobs.recordNames(name)).isEmpty();
        assertThat(blobs.read(name, BlobStore.KEYS, 4096)).as("its wrapped keys too").isEmpty();
        assertThat(storage.open(APP, ALICE).info().keys()).as("a fresh, empty area").isEmpty();
        assertThat(storage.open(OTHER_APP, ALICE).get("a")).hasValue("3");
        assertThat(storage.open(APP, BOB).get("a")).hasValue("4");
        assertThat(storage.erase(APP, ALICE)).as("erasing again is harmless").isZero();
    }

    @Test
    void anAreaCanBeErasedByItsNameAloneAndOnlyAWellFormedNameIsAccepted() throws Exception {
        storage.open(APP, ALICE).set("a", "1");
        storage.open(APP, BOB).set("a", "2");
        String name = EncryptedStorage.areaName(APP, ALICE);

        assertThat(storage.eraseArea(name)).isEqualTo(1);

        assertThat(blobs.read(name, BlobStore.KEYS, 4096)).isEmpty();
        assertThat(storage.open(APP, ALICE).info().keys()).as("a fresh, empty area, not the one held in memory").isEmpty();
        assertThat(storage.open(APP, BOB).get("a")).hasValue("2");
        assertThatThrownBy(() -> storage.eraseArea("../" + name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.eraseArea(name.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void areasAreIsolatedBetweenUsersOfOneMiniProgram() throws Exception {
        storage.open(APP, ALICE).set("token", "\"alice-secret\"");
        StorageArea bob = storage.open(APP, BOB);
        assertThat(bob.get("token")).isEmpty();
        assertThat(bob.info().keys()).isEmpty();
        bob.clear();
        assertThat(storage.open(APP, ALICE).get("token")).hasValue("\"alice-secret\"");
    }

    @Test
    void areasAreIsolatedBetweenMiniProgramsForOneUser() throws Exception {
        storage.open(APP, ALICE).set("token", "\"todo\"");
        storage.open(OTHER_APP, ALICE).set("token", "\"notes\"");
        assertThat(storage.open(APP, ALICE).get("token")).hasValue("\"todo\"");
        assertThat(storage.open(OTHER_APP, ALICE).get("token")).hasValue("\"notes\"");
    }

    @Test
    void idsThatConcatenateAlikeStillNameDifferentAreas() throws Exception {
        storage.open("com.a", "bc").set("k", "1");
        assertThat(storage.open("com.ab", "c").get("k")).isEmpty();
    }

    @Test
    void infoListsSortedKeysAndCountsEachEntrysOnDiskCost() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.set("b", "12");
        area.set("a", "\"é\"");
        area.set("键", "1");
        StorageInfo info = area.info();
        assertThat(info.keys()).containsExactly("a", "b", "键");
        assertThat(info.currentBytes()).isEqualTo(cost(1, 4) + cost(1, 2) + cost(3, 1));
        // A small entry costs one file-system block and the file's metadata, however few its bytes.
        assertThat(cost(1, 4)).isEqualTo(StorageLimits.FILE_BLOCK_BYTES + StorageLimits.FILE_METADATA_BYTES).isEqualTo(4352);
        assertThat(info.limitBytes()).isEqualTo(StorageLimits.AREA_BYTES_MAX);
    }

    @Test
    void removeDeletesOneKeyAndRemovingAnAbsentKeySucceeds() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.set("a", "1");
        area.set("b", "22");
        area.remove("a");
        area.remove("never-set");
        assertThat(area.get("a")).isEmpty();
        assertThat(area.info()).isEqualTo(new StorageInfo(List.of("b"), cost(1, 2), StorageLimits.AREA_BYTES_MAX));
    }

    @Test
    void clearEmptiesTheAreaAndItCanBeUsedAgain() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.set("a", "1");
        area.set("b", "2");
        area.clear();
        assertThat(area.info()).isEqualTo(new StorageInfo(List.of(), 0, StorageLimits.AREA_BYTES_MAX));
        assertThat(blobs.recordNames(new AreaId(APP, ALICE).storageName())).isEmpty();
        area.set("a", "3");
        assertThat(area.get("a")).hasValue("3");
    }

    @Test
    void quotaAllowsExactlyItsBytesOfEntryCostAndRefusesMoreKeepingTheOldValue() throws Exception {
        long small = cost(2, 1); // keys "k0".."k9", value "1": one block plus metadata each
        StorageLimits tenSmall = new StorageLimits(10 * small, StorageLimits.VALUE_BYTES_MAX, StorageLimits.KEY_CHARS_MAX, StorageLimits.KEYS_MAX);
        StorageArea area = EncryptedStorage.inMemory(master, tenSmall).open(APP, ALICE);
        for (int i = 0; i < 10; i++) {
            area.set("k" + i, "1");
        }
        assertThat(area.info().currentBytes()).isEqualTo(10 * small);

        // One more byte of value still fits the block; a value that needs a second block does not.
        String fillsTheBlock = jsonString(StorageLimits.FILE_BLOCK_BYTES - StorageLimits.RECORD_OVERHEAD_BYTES - 2 - 2);
        assertThat(cost(2, fillsTheBlock.length())).isEqualTo(small);
        area.set("k1", fillsTheBlock);
        assertFails(() -> area.set("k0", jsonString(StorageLimits.FILE_BLOCK_BYTES)), Reason.QUOTA_EXCEEDED);
        assertFails(() -> area.set("x", "1"), Reason.QUOTA_EXCEEDED);
        assertThat(area.get("k0")).hasValue("1");
        assertThat(area.info().currentBytes()).isEqualTo(10 * small);

        area.remove("k0"); // freeing an entry frees its whole cost
        area.set("x", "1");
        assertThat(area.info().currentBytes()).isEqualTo(10 * small);
    }

    @Test
    void tenThousandOneByteValuesAreRefusedAtTheKeyLimitAndTheReportMatchesTheCost() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        int stored = 0;
        StorageException refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++) {
            try {
                area.set("k" + i, "1");
                stored++;
            } catch (StorageException e) {
                refused = e;
            }
        }
        assertThat(stored).isEqualTo(StorageLimits.KEYS_MAX);
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
        assertThat(refused.getMessage()).isEqualTo("storage holds its maximum of " + StorageLimits.KEYS_MAX + " keys");
        long expected = 0;
        for (int i = 0; i < stored; i++) {
            expected += cost(("k" + i).length(), 1);
        }
        assertThat(area.info().currentBytes()).isEqualTo(expected).isLessThanOrEqualTo(StorageLimits.AREA_BYTES_MAX)
                .isGreaterThan(StorageLimits.KEYS_MAX * (long) StorageLimits.FILE_BLOCK_BYTES); // not 58 KB for 41 MB
    }

    @Test
    void valueOfOneMebibyteIsStoredAndOneByteMoreIsRefused() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.set("big", jsonString(MIB));
        assertThat(area.get("big")).hasValueSatisfying(v -> assertThat(v).hasSize(MIB));
        assertFails(() -> area.set("big", jsonString(MIB + 1)), Reason.VALUE_TOO_LARGE);
        assertThat(area.get("big")).hasValueSatisfying(v -> assertThat(v).hasSize(MIB));
    }

    @Test
    void valueSizeIsMeasuredInUtf8Bytes() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.set("two-byte", "é".repeat(MIB / 2));
        assertFails(() -> area.set("two-byte", "é".repeat(MIB / 2) + "a"), Reason.VALUE_TOO_LARGE);
    }

    @Test
    void illFormedValueIsRefusedRatherThanStoredAltered() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        assertFails(() -> area.set("k", "\"\uD800\""), Reason.VALUE_INVALID);
        assertThat(area.get("k")).isEmpty();
    }

    @Test
    void hostileLookingKeysAreOrdinaryOpaqueKeys() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        List<String> keys = List.of("../../etc/passwd", "a/b", "\u0000", "..", "/", "C:\\Windows", "NUL", "\u202egnp.exe",
                "key\nwith\nlines", "😀", "x".repeat(StorageLimits.KEY_CHARS_MAX), "😀".repeat(StorageLimits.KEY_CHARS_MAX / 2));
        for (String key : keys) {
            area.set(key, "\"" + key.length() + "\"");
        }
        for (String key : keys) {
            assertThat(area.get(key)).hasValue("\"" + key.length() + "\"");
        }
        assertThat(area.info().keys()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(area.get("a")).isEmpty();
    }

    @Test
    void emptyOverlongAndIllFormedKeysAreRefusedByEveryMethod() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        List<String> badKeys = new ArrayList<>(List.of("", "x".repeat(StorageLimits.KEY_CHARS_MAX + 1), "\uD800", "a\uDC00b"));
        badKeys.add(null);
        for (String key : badKeys) {
            assertFails(() -> area.set(key, "1"), Reason.KEY_INVALID);
            assertFails(() -> area.get(key), Reason.KEY_INVALID);
            assertFails(() -> area.remove(key), Reason.KEY_INVALID);
        }
        assertThat(area.info().keys()).isEmpty();
    }

    @Test
    void keyCountIsLimitedButExistingKeysCanStillBeReplaced() throws Exception {
        StorageLimits three = new StorageLimits(StorageLimits.AREA_BYTES_MAX, StorageLimits.VALUE_BYTES_MAX, StorageLimits.KEY_CHARS_MAX, 3);
        StorageArea area = EncryptedStorage.inMemory(master, three).open(APP, ALICE);
        area.set("a", "1");
        area.set("b", "1");
        area.set("c", "1");
        assertFails(() -> area.set("d", "1"), Reason.QUOTA_EXCEEDED);
        area.set("a", "2");
        area.remove("b");
        area.set("d", "1");
        assertThat(area.info().keys()).containsExactly("a", "c", "d");
    }

    @Test
    void loweredLimitsApply() throws Exception {
        StorageArea area = EncryptedStorage.inMemory(master, new StorageLimits(cost(3, 4), 4, 3, 10)).open(APP, ALICE);
        assertFails(() -> area.set("abcd", "1"), Reason.KEY_INVALID);
        assertFails(() -> area.set("a", "12345"), Reason.VALUE_TOO_LARGE);
        area.set("abc", "1234");
        assertFails(() -> area.set("d", "1234"), Reason.QUOTA_EXCEEDED);
        assertThat(area.info()).isEqualTo(new StorageInfo(List.of("abc"), cost(3, 4), cost(3, 4)));
    }

    @Test
    void limitsMayBeLoweredButNeverRaised() {
        assertThatThrownBy(() -> new StorageLimits(StorageLimits.AREA_BYTES_MAX + 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageLimits(1, StorageLimits.VALUE_BYTES_MAX + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageLimits(1, 1, StorageLimits.KEY_CHARS_MAX + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageLimits(1, 1, 1, StorageLimits.KEYS_MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidIdsAreAHostBug() {
        assertThatThrownBy(() -> storage.open("", ALICE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.open(APP, "u".repeat(Storage.ID_CHARS_MAX + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.open(APP, "\uD800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.open(null, ALICE)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ciphertextMovedToAnotherKeyDoesNotDecrypt() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        String a = setAndFindRecord(area, APP, ALICE, "a", "\"for a\"");
        String b = setAndFindRecord(area, APP, ALICE, "b", "\"for b\"");
        String name = new AreaId(APP, ALICE).storageName();
        blobs.write(name, b, blobs.read(name, a, Integer.MAX_VALUE).orElseThrow());
        assertFails(() -> area.get("b"), Reason.UNREADABLE);
        assertThat(area.get("a")).hasValue("\"for a\"");
    }

    @Test
    void ciphertextMovedToAnotherUserDoesNotDecrypt() throws Exception {
        String aliceRecord = setAndFindRecord(storage.open(APP, ALICE), APP, ALICE, "k", "\"alice\"");
        StorageArea bob = storage.open(APP, BOB);
        String bobRecord = setAndFindRecord(bob, APP, BOB, "k", "\"bob\"");
        blobs.write(new AreaId(APP, BOB).storageName(), bobRecord,
                blobs.read(new AreaId(APP, ALICE).storageName(), aliceRecord, Integer.MAX_VALUE).orElseThrow());
        assertFails(() -> bob.get("k"), Reason.UNREADABLE);
    }

    @Test
    void wholeAreaCopiedToAnotherUserOrMiniProgramDoesNotOpen() throws Exception {
        storage.open(APP, ALICE).set("k", "\"alice\"");
        String alice = new AreaId(APP, ALICE).storageName();
        for (AreaId target : List.of(new AreaId(APP, BOB), new AreaId(OTHER_APP, ALICE))) {
            for (String blob : List.of(BlobStore.KEYS, blobs.recordNames(alice).getFirst())) {
                blobs.write(target.storageName(), blob, blobs.read(alice, blob, Integer.MAX_VALUE).orElseThrow());
            }
            EncryptedStorage fresh = EncryptedStorage.over(blobs, master, StorageLimits.DEFAULTS);
            assertFails(() -> fresh.open(target.miniProgramId(), target.userId()), Reason.UNREADABLE);
        }
    }

    @Test
    void flippingAnyByteMakesTheValueUnreadable() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        String record = setAndFindRecord(area, APP, ALICE, "k", "\"value\"");
        String name = new AreaId(APP, ALICE).storageName();
        byte[] original = blobs.read(name, record, Integer.MAX_VALUE).orElseThrow();
        for (int i = 0; i < original.length; i++) {
            byte[] flipped = original.clone();
            flipped[i] ^= 0x01;
            blobs.write(name, record, flipped);
            assertFails(() -> area.get("k"), Reason.UNREADABLE);
        }
        blobs.write(name, record, original);
        assertThat(area.get("k")).hasValue("\"value\"");
    }

    @Test
    void tamperedRecordFoundOnOpenStillCountsAndCanBeRemoved() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        String record = setAndFindRecord(area, APP, ALICE, "k", "\"value\"");
        area.set("ok", "1");
        String name = new AreaId(APP, ALICE).storageName();
        byte[] sealed = blobs.read(name, record, Integer.MAX_VALUE).orElseThrow();
        sealed[sealed.length - 1] ^= 0x01;
        blobs.write(name, record, sealed);

        StorageArea reopened = EncryptedStorage.over(blobs, master, StorageLimits.DEFAULTS).open(APP, ALICE);
        assertThat(reopened.info().keys()).containsExactly("ok");
        assertThat(reopened.info().currentBytes()).isEqualTo(cost(2, 1) + StorageLimits.storedCostBytes(sealed.length));
        assertFails(() -> reopened.get("k"), Reason.UNREADABLE);
        reopened.remove("k");
        assertThat(reopened.info().currentBytes()).isEqualTo(cost(2, 1));
        assertThat(reopened.get("k")).isEmpty();
        reopened.set("k", "\"again\"");
        assertThat(reopened.get("k")).hasValue("\"again\"");
    }

    @Test
    void everyUnreadableCauseGivesTheSameOneLineMessage() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        String record = setAndFindRecord(area, APP, ALICE, "k", "1");
        setAndFindRecord(area, APP, ALICE, "j", "2");
        String name = new AreaId(APP, ALICE).storageName();
        blobs.write(name, record, new byte[] {1, 2, 3});
        String corrupt = messageOf(() -> area.get("k"));
        blobs.write(name, record, blobs.read(name, blobs.recordNames(name).stream().filter(r -> !r.equals(record)).findFirst().orElseThrow(),
                Integer.MAX_VALUE).orElseThrow());
        String moved = messageOf(() -> area.get("k"));
        String wrongMaster = messageOf(() -> EncryptedStorage.over(blobs, TestMasterKeys.newMasterKey(), StorageLimits.DEFAULTS).open(APP, ALICE));
        assertThat(List.of(corrupt, moved, wrongMaster)).containsOnly(EncryptedArea.UNREADABLE_MESSAGE);
        assertThat(corrupt).doesNotContain("\n");
    }

    @Test
    void readOnlyUseStoresNothing() throws Exception {
        StorageArea area = storage.open(APP, ALICE);
        area.get("k");
        area.info();
        assertThat(blobs.read(new AreaId(APP, ALICE).storageName(), BlobStore.KEYS, Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void areasOnDifferentThreadsWorkIndependentlyAndOneAreaSharedByTwoThreadsStaysConsistent() throws Exception {
        int rounds = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (String user : List.of(ALICE, BOB)) {
            tasks.add(() -> {
                StorageArea own = storage.open(APP, user);
                StorageArea shared = storage.open(OTHER_APP, "shared");
                start.await();
                for (int i = 0; i < rounds; i++) {
                    own.set("k" + (i % 10), "\"" + user + i + "\"");
                    assertThat(own.get("k" + (i % 10))).hasValue("\"" + user + i + "\"");
                    shared.set(user + i, "1");
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<Void>> results = tasks.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Void> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(storage.open(APP, ALICE).get("k9")).hasValue("\"alice" + (rounds - 1) + "\"");
        assertThat(storage.open(APP, BOB).get("k9")).hasValue("\"bob" + (rounds - 1) + "\"");
        StorageInfo shared = storage.open(OTHER_APP, "shared").info();
        assertThat(shared.keys()).hasSize(2 * rounds);
        long expected = shared.keys().stream().mapToLong(k -> cost(k.length(), 1)).sum();
        assertThat(shared.currentBytes()).isEqualTo(expected);
    }

    private static long cost(long keyBytes, long valueBytes) {
        return StorageLimits.entryCostBytes(keyBytes, valueBytes);
    }

    private String setAndFindRecord(StorageArea area, String app, String user, String key, String value) throws Exception {
        String name = new AreaId(app, user).storageName();
        List<String> before = blobs.recordNames(name);
        area.set(key, value);
        List<String> added = new ArrayList<>(blobs.recordNames(name));
        added.removeAll(before);
        assertThat(added).hasSize(1);
        return added.getFirst();
    }

    private static String jsonString(int totalBytes) {
        return "\"" + "a".repeat(totalBytes - 2) + "\"";
    }

    private static void assertFails(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static String messageOf(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
        return thrown.getMessage();
    }
}
