package dev.capsule.runtime.storage;

import dev.capsule.core.crypto.Sha256;
import java.util.Objects;

/**
 * Names one storage area: a (mini-program id, user id) pair, validated.
 *
 * @param miniProgramId the manifest id of the mini-program
 * @param userId the platform's pairwise user id
 */
record AreaId(String miniProgramId, String userId) {
    private static final String STORAGE_NAME_LABEL = "capsule.storage.area.v1";

    AreaId {
        requireValid(miniProgramId, "mini-program id");
        requireValid(userId, "user id");
    }

    /**
     * The name under which the backing store keeps this area: the lower-case hex SHA-256 of the
     * length-prefixed pair. It reveals neither id, and contains only {@code [0-9a-f]}, so it is a
     * safe file name on every file system.
     */
    String storageName() {
        return Sha256.of(LengthPrefixed.encode(STORAGE_NAME_LABEL, miniProgramId, userId)).hex();
    }

    /** Associated data for ciphertexts of this area: {@code label}, both ids, then {@code more}, length-prefixed. */
    byte[] associatedData(String label, String... more) {
        String[] parts = new String[3 + more.length];
        parts[0] = label;
        parts[1] = miniProgramId;
        parts[2] = userId;
        System.arraycopy(more, 0, parts, 3, more.length);
        return LengthPrefixed.encode(parts);
    }

    private static void requireValid(String id, String what) {
        Objects.requireNonNull(id, what);
        if (id.isEmpty() || id.length() > Storage.ID_CHARS_MAX || !Utf8.isWellFormed(id)) {
            throw new IllegalArgumentException(what + " must be 1 to " + Storage.ID_CHARS_MAX + " characters of well-formed Unicode");
        }
    }

    @Override
    public String toString() {
        // Ids are personal data in logs; the storage name is enough to find the area.
        return "AreaId[" + storageName() + "]";
    }
}
