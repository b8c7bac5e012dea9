package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;

/**
 * Which master key wraps the data keys of one storage area. A host that must erase one person's data without
 * touching anyone else's gives each (mini-program, user) area a master key of its own (the platform server wraps it
 * under that person's data-subject key), so destroying that key makes the area unreadable even in backups.
 *
 * <p>Security guarantees expected of an implementation: the same pair always gets a key that opens what the pair's
 * earlier key wrapped, and a key given for one pair never opens another pair's wrapped keys (the associated data
 * {@link EncryptedStorage} passes names the area as well).
 */
@FunctionalInterface
public interface MasterKeys {
    /** The master key of the area of {@code userId} in {@code miniProgramId}. */
    Aead forArea(String miniProgramId, String userId);

    /** One master key for every area. */
    static MasterKeys single(Aead masterKey) {
        java.util.Objects.requireNonNull(masterKey, "masterKey");
        return (miniProgramId, userId) -> masterKey;
    }
}
