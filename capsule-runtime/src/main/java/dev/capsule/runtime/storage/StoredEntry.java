package dev.capsule.runtime.storage;

/**
 * One decrypted record: a key, its value and the bytes it counts against the quota.
 *
 * @param key the key, as the mini-program gave it
 * @param value the JSON text stored under it
 * @param bytes what it costs against the quota, {@link StorageLimits#entryCostBytes}
 */
record StoredEntry(String key, String value, long bytes) {}
