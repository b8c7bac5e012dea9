package dev.capsule.runtime.storage;

import java.util.Optional;

/**
 * One user's storage in one mini-program: a map from keys to JSON text, as {@code wx.setStorage}
 * sees it.
 *
 * <p>Keys are opaque strings: any well-formed Unicode, 1 to {@link StorageLimits#keyCharsMax()}
 * UTF-16 code units (the guest's {@code key.length}). {@code "../../etc/passwd"}, {@code "a/b"} and
 * {@code "\u0000"} are ordinary keys; nothing derives a file name or path from a key. An empty,
 * over-long or ill-formed key (a lone surrogate) is refused with
 * {@link StorageException.Reason#KEY_INVALID} by every method.
 *
 * <p>Values are JSON text produced by the bridge; storage treats them as opaque strings and returns
 * exactly what was stored. A value's size is its UTF-8 encoding.
 *
 * <p>Quota: the area's size is the sum over its entries of what each costs on disk,
 * {@link StorageLimits#entryCostBytes} (key and value bytes plus encryption framing, in whole file-system
 * blocks, plus the file's metadata; see {@link StorageInfo#currentBytes()}). A {@link #set} that would make
 * it exceed {@link StorageLimits#areaBytesMax()}, or add a key beyond
 * {@link StorageLimits#keysMax()}, fails with {@link StorageException.Reason#QUOTA_EXCEEDED} and
 * changes nothing: the old value stays.
 *
 * <p>Every failure is a {@link StorageException} with a reason the bridge maps to
 * {@code "<api>:fail <reason>"}; a failed call changes nothing. Methods are thread-safe.
 */
public interface StorageArea {
    /** The value stored under {@code key}, or empty if there is none ({@code getStorage}). */
    Optional<String> get(String key) throws StorageException;

    /**
     * Stores {@code jsonValue} under {@code key}, replacing any old value ({@code setStorage}).
     *
     * @throws StorageException {@code VALUE_TOO_LARGE} if the value's UTF-8 encoding exceeds
     *     {@link StorageLimits#valueBytesMax()}; {@code VALUE_INVALID} if it is not well-formed
     *     Unicode; {@code QUOTA_EXCEEDED} as described above
     * @throws NullPointerException if {@code jsonValue} is null (the bridge always serialises)
     */
    void set(String key, String jsonValue) throws StorageException;

    /** Removes {@code key} and its value; removing an absent key succeeds ({@code removeStorage}). */
    void remove(String key) throws StorageException;

    /** Removes every key of this area ({@code clearStorage}). */
    void clear() throws StorageException;

    /** Keys, size and limit of this area ({@code getStorageInfo}). */
    StorageInfo info() throws StorageException;
}
