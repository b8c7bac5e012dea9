package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageArea;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Mini-program storage in the database of its user's region (docs/residency.md): one {@link EncryptedStorage} per
 * region over that region's {@code host_storage_blobs}, and the node's runtime's {@link Storage} ({@link #forRuntime}),
 * which opens an area in the region of the session that has it open. Not itself a {@code Storage} bean, so the one
 * {@code Storage} bean stays the home region's {@code EncryptedStorage}.
 *
 * <p>The runtime names an area by mini-program and pairwise id only; the session host tells this class, before a
 * session's mini-program runs, which region the area belongs to ({@link #opened}) and forgets it when the session ends
 * ({@link #closed}), so the map holds at most the node's open sessions.
 *
 * <p>Security guarantees: an area is opened only in its user's region's database; with more than one region, opening an
 * area no session of this node has open is refused ({@link StorageException}), never guessed to be the home region's.
 */
@Component
class RegionalStorage {
    private final Residency residency;
    private final EncryptedStorage home;
    private final SubjectKeys subjectKeys;
    private final ConcurrentMap<RegionId, EncryptedStorage> byRegion = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Opened> opened = new ConcurrentHashMap<>();

    /** The region of an area open in {@code sessions} sessions of this node. */
    private record Opened(RegionId region, int sessions) {
    }

    RegionalStorage(Residency residency, EncryptedStorage hostStorage, SubjectKeys subjectKeys) {
        this.residency = residency;
        this.home = hostStorage;
        this.subjectKeys = subjectKeys;
    }

    /** The storage in {@code db} (the home region's is the platform's {@code EncryptedStorage} bean). */
    EncryptedStorage in(RegionalDatabase db) {
        if (residency.isHome(db.region())) {
            return home;
        }
        return byRegion.computeIfAbsent(db.region(), region -> HostStorageConfiguration.storage(db.jdbc(), subjectKeys));
    }

    /** A session of a user of {@code region} opens {@code app}'s area of {@code pairwiseUserId}. */
    void opened(String app, String pairwiseUserId, RegionId region) {
        opened.merge(EncryptedStorage.areaName(app, pairwiseUserId), new Opened(region, 1),
                (was, one) -> new Opened(was.region(), was.sessions() + 1));
    }

    /** That session ended. */
    void closed(String app, String pairwiseUserId) {
        opened.computeIfPresent(EncryptedStorage.areaName(app, pairwiseUserId),
                (area, was) -> was.sessions() <= 1 ? null : new Opened(was.region(), was.sessions() - 1));
    }

    /** The storage the node's runtime opens areas in: {@link #open}. */
    Storage forRuntime() {
        return this::open;
    }

    private StorageArea open(String miniProgramId, String userId) throws StorageException {
        Opened area = opened.get(EncryptedStorage.areaName(miniProgramId, userId));
        if (area != null) {
            return in(residency.database(area.region())).open(miniProgramId, userId);
        }
        if (residency.databases().size() == 1) {
            return home.open(miniProgramId, userId);
        }
        throw new StorageException(StorageException.Reason.IO,
                "no session on this node has this storage area open, so the region that holds it is not known");
    }

    @Override
    public String toString() {
        return "RegionalStorage[" + residency.databases().size() + " regions]";
    }
}
