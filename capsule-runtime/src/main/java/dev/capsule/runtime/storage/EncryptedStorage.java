package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link Storage}: every value encrypted with AES-256-GCM (Tink) under a data key of
 * its own (mini-program, user) area.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>Confidentiality and integrity of keys and values. Each record holds the key and the value,
 *       encrypted and authenticated together. Records are named by an HMAC-SHA256 of the key under a
 *       per-area secret, and areas by the SHA-256 of (mini-program id, user id): the store's layout
 *       shows no key names, no ids and no values.
 *   <li>Binding. A record's associated data is the length-prefixed (label, mini-program id, user id,
 *       record id), and opening checks that the key inside hashes to the record id; so a record
 *       moved to another key, user or mini-program, or changed in any byte, fails with
 *       {@link StorageException.Reason#UNREADABLE} (one message for every cause).
 *   <li>Key hierarchy. Each area's data keys (an AEAD keyset and a PRF keyset) are generated on
 *       first use and stored only wrapped by the host's master {@link Aead}, with associated data
 *       naming the area and the key's purpose; a wrapped keyset copied to another area, or
 *       opened with another master key, fails with {@code UNREADABLE}.
 *   <li>Bounded work. Every stored blob is read only if no larger than anything Capsule writes
 *       there; larger ones are {@code UNREADABLE} and never read whole.
 * </ul>
 *
 * <p>What it does not protect:
 * <ul>
 *   <li>Whoever holds the master key (or can use it, such as the host process) can read and write
 *       every area. {@link LocalMasterKey} keeps it in a plain file: for development only.
 *   <li>Sizes and counts: the number of records per area and each record's approximate size (key
 *       plus value) are visible in the store, as is which area a record belongs to. Someone who
 *       knows a (mini-program id, user id) pair can find that pair's area.
 *   <li>Rollback and deletion: someone who can write the store can restore an older record of the
 *       same key, or delete records or whole areas. Tampering with a record makes that key
 *       {@code UNREADABLE}; removing or clearing it recovers the area.
 *   <li>Two processes on one directory: each keeps its own index, so use one {@code
 *       EncryptedStorage} per directory.
 *   <li>A master {@link Aead} that fails (a KMS outage) makes areas opened meanwhile {@code UNREADABLE}.
 * </ul>
 *
 * <p>Thread-safe. Areas are loaded once and shared by everyone who opens them; an area nobody holds
 * any more is dropped from memory and loaded again on next use.
 */
public final class EncryptedStorage implements Storage {
    private final BlobStore blobs;
    private final MasterKeys masterKeys;
    private final StorageLimits limits;
    private final Map<String, AreaReference> areas = new ConcurrentHashMap<>();
    private final ReferenceQueue<EncryptedArea> released = new ReferenceQueue<>();

    EncryptedStorage(BlobStore blobs, MasterKeys masterKeys, StorageLimits limits) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.masterKeys = Objects.requireNonNull(masterKeys, "masterKeys");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Storage that lives as long as this object: for tests and embedded hosts that persist nothing. */
    public static EncryptedStorage inMemory(Aead masterKey, StorageLimits limits) {
        return new EncryptedStorage(new MemoryBlobStore(), MasterKeys.single(masterKey), limits);
    }

    /**
     * Storage over a host's own {@link BlobStore} (a database table): the same encryption, binding, key
     * hierarchy and bounds as {@link #inDirectory}; the store sees only what {@link BlobStore} describes.
     * Use one instance per store.
     *
     * <p>Security guarantees: as this class's; none depend on the store, which holds only ciphertext and hex names.
     */
    public static EncryptedStorage over(BlobStore blobs, Aead masterKey, StorageLimits limits) {
        return new EncryptedStorage(blobs, MasterKeys.single(masterKey), limits);
    }

    /**
     * Storage over a host's own {@link BlobStore} whose areas each have a master key of their own ({@link MasterKeys}):
     * otherwise as {@link #over(BlobStore, Aead, StorageLimits)}.
     *
     * <p>Security guarantees: as this class's, and an area's data keys open only under its own master key.
     */
    public static EncryptedStorage over(BlobStore blobs, MasterKeys masterKeys, StorageLimits limits) {
        return new EncryptedStorage(blobs, masterKeys, limits);
    }

    /**
     * Storage in files under {@code dir} (created, mode 700, if absent): one directory per area named
     * by the SHA-256 of (mini-program id, user id), one file per key named by a keyed hash, written
     * atomically, modes 700 and 600 where the file system is POSIX. Use one instance per directory.
     *
     * @throws StorageException {@link StorageException.Reason#IO} if {@code dir} cannot be created
     */
    public static EncryptedStorage inDirectory(Path dir, Aead masterKey, StorageLimits limits) throws StorageException {
        Objects.requireNonNull(dir, "dir");
        try {
            return new EncryptedStorage(new DirectoryBlobStore(dir), MasterKeys.single(masterKey), limits);
        } catch (IOException e) {
            throw new StorageException(Reason.IO, "storage directory cannot be created: " + dir, e);
        }
    }

    @Override
    public StorageArea open(String miniProgramId, String userId) throws StorageException {
        AreaId id = new AreaId(miniProgramId, userId);
        forgetReleasedAreas();
        EncryptedArea area = shared(id);
        area.loadNow();
        return area;
    }

    /**
     * The name under which the store keeps the area of {@code userId} in {@code miniProgramId} (64 lower-case hex
     * characters; it reveals neither id): for a host that must find a person's areas in its store.
     */
    public static String areaName(String miniProgramId, String userId) {
        return new AreaId(miniProgramId, userId).storageName();
    }

    /**
     * Deletes the area of {@code userId} in {@code miniProgramId} from the store: every record and its wrapped keys
     * (erasure of a person's data). The area is forgotten in memory too; a session still holding it must have ended
     * first, or what it writes afterwards makes a new area. Returns how many records were deleted.
     *
     * @throws StorageException {@link StorageException.Reason#IO} if the store fails part-way (run it again)
     */
    public int erase(String miniProgramId, String userId) throws StorageException {
        return eraseArea(new AreaId(miniProgramId, userId).storageName());
    }

    /**
     * Deletes the area the store keeps under {@code areaName} ({@link #areaName}): as {@link #erase(String, String)},
     * for a host that knows an area only by its name (a retention sweep of areas nobody used for a long time).
     *
     * @throws IllegalArgumentException if {@code areaName} is not 64 lower-case hex characters
     * @throws StorageException {@link StorageException.Reason#IO} if the store fails part-way (run it again)
     */
    public int eraseArea(String areaName) throws StorageException {
        if (areaName == null || !areaName.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an area name is 64 lower-case hex characters");
        }
        areas.remove(areaName);
        try {
            int deleted = 0;
            for (String record : blobs.recordNames(areaName)) {
                blobs.delete(areaName, record);
                deleted++;
            }
            // Keys last: a failure part-way leaves no record without its keys, and the next run finishes.
            blobs.delete(areaName, BlobStore.KEYS);
            return deleted;
        } catch (java.io.IOException e) {
            throw new StorageException(Reason.IO, "storage area could not be erased", e);
        }
    }

    /** The one live area object for {@code id}, so that sessions sharing an area share its lock and index. */
    private EncryptedArea shared(AreaId id) {
        String name = id.storageName();
        while (true) {
            AreaReference reference = areas.compute(name, (n, existing) ->
                    existing != null && existing.get() != null
                            ? existing
                            : new AreaReference(n, new EncryptedArea(id, blobs, masterKeys.forArea(id.miniProgramId(), id.userId()), limits), released));
            EncryptedArea area = reference.get();
            if (area != null) {
                return area;
            }
            // Collected between compute and get: the next compute creates a fresh one.
        }
    }

    private void forgetReleasedAreas() {
        for (var reference = released.poll(); reference != null; reference = released.poll()) {
            AreaReference area = (AreaReference) reference;
            areas.remove(area.name, area);
        }
    }

    /** Everything an area wrote is already in the store, so dropping an unused one loses nothing. */
    private static final class AreaReference extends WeakReference<EncryptedArea> {
        private final String name;

        AreaReference(String name, EncryptedArea area, ReferenceQueue<EncryptedArea> queue) {
            super(area, queue);
            this.name = name;
        }
    }

    @Override
    public String toString() {
        return "EncryptedStorage[" + blobs + "]";
    }
}
