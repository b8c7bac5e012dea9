package dev.capsule.runtime.storage;

/**
 * Limits of one storage area (spec §4). A host may lower them per mini-program, never raise them.
 *
 * @param areaBytesMax largest area size, counted as in {@link StorageInfo#currentBytes()}
 * @param valueBytesMax largest single value, UTF-8 bytes
 * @param keyCharsMax longest key, UTF-16 code units (what the guest sees as {@code key.length})
 * @param keysMax most keys in one area
 */
public record StorageLimits(long areaBytesMax, int valueBytesMax, int keyCharsMax, int keysMax) {
    /** 10 MiB, WeChat's storage quota per user and mini-program. */
    public static final long AREA_BYTES_MAX = 10L * 1024 * 1024;
    /** 1 MiB, WeChat's limit for one key's data. */
    public static final int VALUE_BYTES_MAX = 1024 * 1024;
    /**
     * WeChat documents no key limit and mini-programs do build keys from URLs and ids, so the limit
     * is generous; it exists so that keys cannot be used to bloat the in-memory index.
     */
    public static final int KEY_CHARS_MAX = 1024;
    /** Bounds the records (files) of one area and the work of opening it. */
    public static final int KEYS_MAX = 10_000;

    public static final StorageLimits DEFAULTS = new StorageLimits(AREA_BYTES_MAX, VALUE_BYTES_MAX, KEY_CHARS_MAX, KEYS_MAX);

    public StorageLimits {
        if (areaBytesMax <= 0 || valueBytesMax <= 0 || keyCharsMax <= 0 || keysMax <= 0) {
            throw new IllegalArgumentException("storage limits must be positive");
        }
        if (areaBytesMax > AREA_BYTES_MAX || valueBytesMax > VALUE_BYTES_MAX || keyCharsMax > KEY_CHARS_MAX || keysMax > KEYS_MAX) {
            throw new IllegalArgumentException("storage limits may be lowered, never raised above the defaults");
        }
    }
}
