package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One area of {@link EncryptedStorage}, shared by everyone who opened it. Every operation holds the
 * area's lock, so quota checks and writes cannot interleave.
 *
 * <p>On first use the area is loaded: its keys are unwrapped (or generated, and stored only when
 * the first value is), every record is decrypted once to rebuild the index of keys and sizes, and
 * records that fail are remembered as unreadable with their stored size. Values are not kept in
 * memory; {@link #get} reads and authenticates the record each time, so tampering after loading is
 * caught too. The index changes only after the store has accepted a write or delete, so a failed
 * call changes nothing.
 */
final class EncryptedArea implements StorageArea {
    /** The same for every cause, so that failures cannot be told apart. */
    static final String UNREADABLE_MESSAGE = "stored data is unreadable: it was changed, is corrupt, or was encrypted under another key";

    private record IndexEntry(String recordId, long bytes) {}

    private final AreaId id;
    private final String storageName;
    private final BlobStore blobs;
    private final Aead master;
    private final StorageLimits limits;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock; cipher == null means not loaded yet.
    private AreaCipher cipher;
    private boolean keysStored;
    private final TreeMap<String, IndexEntry> entries = new TreeMap<>();
    private final Map<String, Long> unreadableBytesByRecordId = new HashMap<>();
    private long currentBytes;

    EncryptedArea(AreaId id, BlobStore blobs, Aead master, StorageLimits limits) {
        this.id = id;
        this.storageName = id.storageName();
        this.blobs = blobs;
        this.master = master;
        this.limits = limits;
    }

    @Override
    public Optional<String> get(String key) throws StorageException {
        byte[] keyUtf8 = validKey(key);
        lock.lock();
        try {
            load();
            String recordId = recordId(keyUtf8);
            if (!entries.containsKey(key) && !unreadableBytesByRecordId.containsKey(recordId)) {
                return Optional.empty();
            }
            byte[] sealed = blobs.read(storageName, recordId, AreaCipher.RECORD_BYTES_MAX).orElseThrow(EncryptedArea::unreadable);
            StoredEntry entry = cipher.open(recordId, sealed);
            if (!entry.key().equals(key)) {
                throw unreadable();
            }
            return Optional.of(entry.value());
        } catch (OversizeBlobException | GeneralSecurityException e) {
            throw unreadable();
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void set(String key, String jsonValue) throws StorageException {
        byte[] keyUtf8 = validKey(key);
        byte[] valueUtf8 = validValue(jsonValue);
        long newBytes = StorageLimits.entryCostBytes(keyUtf8.length, valueUtf8.length);
        lock.lock();
        try {
            load();
            String recordId = recordId(keyUtf8);
            IndexEntry old = entries.get(key);
            Long oldUnreadable = unreadableBytesByRecordId.get(recordId);
            long oldBytes = old != null ? old.bytes() : oldUnreadable != null ? oldUnreadable : 0;
            boolean newKey = old == null && oldUnreadable == null;
            if (newKey && entries.size() + unreadableBytesByRecordId.size() >= limits.keysMax()) {
                throw new StorageException(Reason.QUOTA_EXCEEDED, "storage holds its maximum of " + limits.keysMax() + " keys");
            }
            if (currentBytes - oldBytes + newBytes > limits.areaBytesMax()) {
                throw new StorageException(Reason.QUOTA_EXCEEDED, "storage would exceed its quota of " + limits.areaBytesMax() + " bytes");
            }
            storeKeysOnce();
            blobs.write(storageName, recordId, cipher.seal(recordId, keyUtf8, valueUtf8));
            unreadableBytesByRecordId.remove(recordId);
            entries.put(key, new IndexEntry(recordId, newBytes));
            currentBytes += newBytes - oldBytes;
        } catch (GeneralSecurityException e) {
            throw new StorageException(Reason.IO, "storage could not encrypt", e);
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void remove(String key) throws StorageException {
        byte[] keyUtf8 = validKey(key);
        lock.lock();
        try {
            load();
            if (entries.containsKey(key)) {
                deleteEntry(key);
            } else {
                String recordId = recordId(keyUtf8);
                if (unreadableBytesByRecordId.containsKey(recordId)) {
                    deleteUnreadable(recordId);
                }
            }
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void clear() throws StorageException {
        lock.lock();
        try {
            load();
            for (String recordId : List.copyOf(unreadableBytesByRecordId.keySet())) {
                deleteUnreadable(recordId);
            }
            for (String key : List.copyOf(entries.keySet())) {
                deleteEntry(key);
            }
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StorageInfo info() throws StorageException {
        lock.lock();
        try {
            load();
            return new StorageInfo(List.copyOf(entries.keySet()), currentBytes, limits.areaBytesMax());
        } finally {
            lock.unlock();
        }
    }

    /** Loads the area now, so that a wrong master key or tampered keys show when it is opened. */
    void loadNow() throws StorageException {
        lock.lock();
        try {
            load();
        } finally {
            lock.unlock();
        }
    }

    /** Loads keys and index once; a failed load leaves the area unloaded, to be retried. Caller holds the lock. */
    private void load() throws StorageException {
        if (cipher != null) {
            return;
        }
        try {
            Optional<byte[]> wrapped = blobs.read(storageName, BlobStore.KEYS, AreaCipher.KEYS_BLOB_BYTES_MAX);
            AreaCipher loaded = wrapped.isPresent() ? AreaCipher.unwrap(id, wrapped.get(), master) : AreaCipher.generate(id);
            blobs.sweepLeftovers(storageName);
            TreeMap<String, IndexEntry> readable = new TreeMap<>();
            Map<String, Long> unreadable = new HashMap<>();
            for (String recordId : blobs.recordNames(storageName)) {
                try {
                    byte[] sealed = blobs.read(storageName, recordId, AreaCipher.RECORD_BYTES_MAX).orElse(null);
                    if (sealed == null) {
                        continue; // deleted while listing
                    }
                    try {
                        StoredEntry entry = loaded.open(recordId, sealed);
                        readable.put(entry.key(), new IndexEntry(recordId, entry.bytes()));
                    } catch (GeneralSecurityException e) {
                        unreadable.put(recordId, StorageLimits.storedCostBytes(sealed.length));
                    }
                } catch (OversizeBlobException e) {
                    unreadable.put(recordId, StorageLimits.storedCostBytes(e.sizeBytes()));
                }
            }
            entries.putAll(readable);
            unreadableBytesByRecordId.putAll(unreadable);
            currentBytes = readable.values().stream().mapToLong(IndexEntry::bytes).sum()
                    + unreadable.values().stream().mapToLong(Long::longValue).sum();
            keysStored = wrapped.isPresent();
            cipher = loaded;
        } catch (OversizeBlobException | GeneralSecurityException e) {
            throw unreadable();
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** Wrapped keys are written before the first record, so no record exists without its keys. */
    private void storeKeysOnce() throws GeneralSecurityException, IOException {
        if (!keysStored) {
            blobs.write(storageName, BlobStore.KEYS, cipher.wrap(master));
            keysStored = true;
        }
    }

    /** Each delete updates the index at once, so an I/O failure part-way leaves it matching the store. */
    private void deleteEntry(String key) throws IOException {
        blobs.delete(storageName, entries.get(key).recordId());
        currentBytes -= entries.remove(key).bytes();
    }

    private void deleteUnreadable(String recordId) throws IOException {
        blobs.delete(storageName, recordId);
        currentBytes -= unreadableBytesByRecordId.remove(recordId);
    }

    private String recordId(byte[] keyUtf8) throws StorageException {
        try {
            return cipher.recordId(keyUtf8);
        } catch (GeneralSecurityException e) {
            throw new StorageException(Reason.IO, "storage could not derive a record id", e);
        }
    }

    private byte[] validKey(String key) throws StorageException {
        if (key == null || key.isEmpty() || key.length() > limits.keyCharsMax() || !Utf8.isWellFormed(key)) {
            throw new StorageException(Reason.KEY_INVALID,
                    "storage key must be 1 to " + limits.keyCharsMax() + " characters of well-formed Unicode");
        }
        return Utf8.encode(key);
    }

    private byte[] validValue(String value) throws StorageException {
        Objects.requireNonNull(value, "jsonValue");
        // A UTF-16 unit never encodes to fewer than one UTF-8 byte: refuse huge text before encoding it.
        if (value.length() > limits.valueBytesMax()) {
            throw valueTooLarge();
        }
        if (!Utf8.isWellFormed(value)) {
            throw new StorageException(Reason.VALUE_INVALID, "storage value must be well-formed Unicode");
        }
        byte[] utf8 = Utf8.encode(value);
        if (utf8.length > limits.valueBytesMax()) {
            throw valueTooLarge();
        }
        return utf8;
    }

    private StorageException valueTooLarge() {
        return new StorageException(Reason.VALUE_TOO_LARGE, "storage value exceeds " + limits.valueBytesMax() + " bytes");
    }

    private static StorageException unreadable() {
        return new StorageException(Reason.UNREADABLE, UNREADABLE_MESSAGE);
    }

    private static StorageException io(IOException e) {
        return new StorageException(Reason.IO, "storage I/O failed: " + e.getClass().getSimpleName(), e);
    }

    @Override
    public String toString() {
        return "EncryptedArea[" + storageName + "]";
    }
}
