package dev.capsule.runtime.storage;

import java.util.List;

/**
 * What {@code wx.getStorageInfo} reports. WeChat gives {@code currentSize} and {@code limitSize}
 * in KB; the bridge converts from the bytes here.
 *
 * @param keys the area's keys in ascending {@link String#compareTo} order (deterministic output)
 * @param currentBytes the area's size: the sum of {@link StorageLimits#entryCostBytes} over its
 *     entries (what they take on disk, not only key and value bytes); an entry that can no longer be
 *     decrypted counts {@link StorageLimits#storedCostBytes} of its stored size, so it still holds
 *     quota until removed or cleared
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
