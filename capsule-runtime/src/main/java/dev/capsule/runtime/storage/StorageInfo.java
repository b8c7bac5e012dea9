package dev.capsule.runtime.storage;

import java.util.List;

/**
 * What {@code wx.getStorageInfo} reports. WeChat gives {@code currentSize} and {@code limitSize}
 * in KB; the bridge converts from the bytes here.
 *
 * @param keys the area's keys in ascending {@link String#compareTo} order (deterministic output)
 * @param currentBytes the area's size: for each key, UTF-8 bytes of key plus UTF-8 bytes of value;
 *     an entry that can no longer be decrypted counts with its stored size, so it still holds quota
 *     until removed or cleared
 * @param limitBytes the area's quota, {@link StorageLimits#areaBytesMax()}
 */
public record StorageInfo(List<String> keys, long currentBytes, long limitBytes) {
    public StorageInfo {
        keys = List.copyOf(keys);
        if (currentBytes < 0 || limitBytes < 0) {
            throw new IllegalArgumentException("storage sizes are never negative");
        }
    }
}
