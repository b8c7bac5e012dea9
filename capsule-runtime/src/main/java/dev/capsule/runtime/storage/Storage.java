package dev.capsule.runtime.storage;

/**
 * Where mini-programs keep their {@code wx.setStorage} data: one {@link StorageArea} per
 * (mini-program id, user id). The bridge opens the area of the running mini-program and user and
 * serves {@code setStorage}, {@code getStorage}, {@code removeStorage}, {@code clearStorage} and
 * {@code getStorageInfo} (sync and async alike) from it.
 *
 * <p>Security guarantees (every implementation gives them; spec §3, §4):
 * <ul>
 *   <li>Isolation: an area is reachable only through its exact (mini-program id, user id) pair; the
 *       same user in another mini-program, or another user of the same mini-program, sees nothing
 *       of it. Keys never name files or records directly, so no key reaches another area.
 *   <li>Encryption at rest: values are stored encrypted and authenticated (see
 *       {@link EncryptedStorage} for the default implementation's exact guarantees).
 *   <li>Bounded: the limits of {@link StorageLimits} hold for every area.
 * </ul>
 *
 * <p>Implementations are thread-safe: the store may be shared by sessions on different threads.
 */
public interface Storage {
    /**
     * Longest mini-program id or user id accepted, in UTF-16 code units. Ids come from the host
     * (the verified manifest and the platform's pairwise user id), never from the mini-program.
     */
    int ID_CHARS_MAX = 256;

    /**
     * The area of one user in one mini-program, created empty on first use. Opening the same pair
     * twice gives views of the same data.
     *
     * @throws StorageException {@link StorageException.Reason#UNREADABLE} if the area's keys cannot
     *     be unwrapped (wrong master key, tampering), {@link StorageException.Reason#IO} if the
     *     backing store fails
     * @throws IllegalArgumentException if an id is empty, longer than {@link #ID_CHARS_MAX} or not
     *     well-formed Unicode (a host bug, not something a mini-program can cause)
     * @throws NullPointerException if an id is null
     */
    StorageArea open(String miniProgramId, String userId) throws StorageException;
}
