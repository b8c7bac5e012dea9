package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.registry.MiniProgramId;
import org.springframework.stereotype.Component;

/**
 * The day each storage area was last used ({@code host_storage_use}, V107), for the retention policy of unused
 * mini-program storage (the purge {@code host.storage-unused}, {@link HostRetention}). A hosted session marks its area
 * when it starts, before the mini-program runs: one statement that writes at most once per area per day (nothing per
 * wx call).
 *
 * <p>Security guarantees: the row holds the area's name (a hash) and its data-subject key's id (a name-based UUID),
 * never the user's id; a session starting while the sweep erases its area waits for the sweep's transaction (the row is
 * locked) and then records a fresh use.
 */
@Component
class StorageUse {
    /**
     * Records that {@code pairwiseUserId}'s area in {@code app} is used today (no write when it already was today), in
     * {@code db}: the database of the user's region, where the area is.
     */
    void used(RegionalDatabase db, MiniProgramId app, String pairwiseUserId) {
        db.jdbc().sql("""
                INSERT INTO host_storage_use AS u (area, subject, last_used) VALUES (:area, :subject, current_date)
                ON CONFLICT (area) DO UPDATE SET last_used = current_date, subject = EXCLUDED.subject
                WHERE u.last_used < current_date OR u.subject IS NULL""")
                .param("area", EncryptedStorage.areaName(app.value(), pairwiseUserId))
                .param("subject", HostStorageConfiguration.areaSubject(app.value(), pairwiseUserId)).update();
    }
}
