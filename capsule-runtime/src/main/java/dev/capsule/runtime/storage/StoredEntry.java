package dev.capsule.runtime.storage;

/**
 * One decrypted record: a key, its value and the bytes it counts against the quota.
 *
 * @param key the key, as the mini-program gave it
 * @param value the JSON text stored under it
 * @param bytes UTF-8 bytes of key plus UTF-8 bytes of value
 */
record StoredEntry(String key, String value, long bytes) {}
