package dev.capsule.runtime.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link EncryptedStorage} keeps its bytes: per area (a 64-hex {@link AreaId#storageName()}),
 * one keys blob named {@link #KEYS} and one blob per record, named by its 64-hex record id. A store
 * sees only opaque ciphertext and hex names; it never learns ids, keys or values.
 *
 * <p>Implementations are thread-safe for different areas; {@link EncryptedStorage} serialises the
 * calls for one area (one {@code EncryptedStorage} per store: two on one store each keep their own index).
 * Capsule's own are in memory and in a directory ({@link EncryptedStorage#inMemory}, {@link EncryptedStorage#inDirectory});
 * a host brings its own (a database table) through {@link EncryptedStorage#over}.
 *
 * <p>Security guarantees: none of its own, and it needs none: everything it holds is ciphertext bound to
 * its area and record name, so a store that returns wrong, old or foreign bytes makes that record
 * {@link StorageException.Reason#UNREADABLE}, never another value. What it must do: keep names and areas
 * apart exactly, make {@link #write} atomic, and honour {@code bytesMax} in {@link #read} without reading a
 * larger blob whole (throw {@link OversizeBlobException}).
 */
public interface BlobStore {
    /** Name of an area's wrapped keys; never a record id, which is hex only. */
    String KEYS = "keys";

    /**
     * The blob, or empty if absent.
     *
     * @throws OversizeBlobException if it is larger than {@code bytesMax}; it is then not read
     */
    Optional<byte[]> read(String area, String name, int bytesMax) throws IOException;

    /** Replaces the blob atomically: a reader sees the old bytes or the new, never a mixture. */
    void write(String area, String name, byte[] bytes) throws IOException;

    /** Deletes the blob; deleting an absent blob succeeds. */
    void delete(String area, String name) throws IOException;

    /** Names of the area's records (not {@link #KEYS}), in no particular order. */
    List<String> recordNames(String area) throws IOException;

    /** Removes what an interrupted {@link #write} may have left behind. */
    void sweepLeftovers(String area) throws IOException;
}
