package dev.capsule.runtime.storage;

/**
 * Limits of one storage area (spec §4). A host may lower them per mini-program, never raise them.
 *
 * <p>Cost model: an entry counts against {@link #areaBytesMax} with what it really costs on disk,
 * {@link #entryCostBytes}: its encrypted record (key, value and {@link #RECORD_OVERHEAD_BYTES} of
 * encryption framing) rounded up to whole {@link #FILE_BLOCK_BYTES} blocks, plus
 * {@link #FILE_METADATA_BYTES} for the file itself. Counting only key and value bytes let 10,000
 * one-byte values report 58 KB while taking 41 MB and 10,002 files. The same cost is counted
 * whatever the backing store (memory or directory), so a mini-program behaves the same in both.
 * Not counted: the area's directory and its keys file (one of each per area, about two blocks),
 * so that an empty area reports 0 as WeChat's does.
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
    /**
     * Bounds the records (files) of one area and the work of opening it (every record is decrypted
     * once). At the smallest entry cost the byte quota alone would allow about 2,400 entries; this
     * limit is the one a mini-program storing many tiny values meets first.
     */
    public static final int KEYS_MAX = 2_000;
    /**
     * The allocation unit of the file systems a host keeps storage on (ext4, XFS, APFS, tmpfs: 4 KiB):
     * a record file occupies whole blocks, at least one, however small its value.
     */
    public static final int FILE_BLOCK_BYTES = 4096;
    /** Per file: an ext4 inode (256 bytes) is the largest part; the directory entry for a 71-character name fits the rounding. */
    public static final int FILE_METADATA_BYTES = 256;
    /**
     * Per record, beyond key and value: Tink's output prefix (5), the GCM nonce (12) and tag (16), and
     * two 4-byte length prefixes (8) make 41; rounded up to 64.
     */
    public static final int RECORD_OVERHEAD_BYTES = 64;

    public static final StorageLimits DEFAULTS = new StorageLimits(AREA_BYTES_MAX, VALUE_BYTES_MAX, KEY_CHARS_MAX, KEYS_MAX);

    /**
     * What one entry costs against the quota: the record (UTF-8 bytes of key and value plus
     * {@link #RECORD_OVERHEAD_BYTES}) in whole {@link #FILE_BLOCK_BYTES} blocks, plus {@link #FILE_METADATA_BYTES}.
     * A one-byte value under a short key costs 4,352 bytes; a value of 1 MiB costs 1 MiB + 4,352 at most.
     */
    public static long entryCostBytes(long keyBytes, long valueBytes) {
        return storedCostBytes(keyBytes + valueBytes + RECORD_OVERHEAD_BYTES);
    }

    /** The cost of a stored record of {@code recordBytes} (also for one that can no longer be decrypted). */
    public static long storedCostBytes(long recordBytes) {
        long blocks = Math.max(1, (recordBytes + FILE_BLOCK_BYTES - 1) / FILE_BLOCK_BYTES);
        return blocks * FILE_BLOCK_BYTES + FILE_METADATA_BYTES;
    }

    public StorageLimits {
        if (areaBytesMax <= 0 || valueBytesMax <= 0 || keyCharsMax <= 0 || keysMax <= 0) {
            throw new IllegalArgumentException("storage limits must be positive");
        }
        if (areaBytesMax > AREA_BYTES_MAX || valueBytesMax > VALUE_BYTES_MAX || keyCharsMax > KEY_CHARS_MAX || keysMax > KEYS_MAX) {
            throw new IllegalArgumentException("storage limits may be lowered, never raised above the defaults");
        }
    }
}
