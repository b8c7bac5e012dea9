package dev.capsule.server.privacy;

import dev.capsule.server.platform.RegionId;
import java.util.Optional;

/**
 * The region each person's data is placed in (docs/residency.md), answered by the module that places people (the
 * host, at a person's first sign-in); the privacy module keeps a person's requests and exports in that region's
 * database.
 *
 * <p>Security guarantees expected of an implementation: a person is placed in one region at a time, so the answer
 * is unique; the lookup reads at most one row per configured region.
 */
public interface SubjectPlacements {
    /** The region {@code subject}'s data is placed in; empty when the person was never placed (or was erased). */
    Optional<RegionId> regionOf(DataSubject subject);
}
