package dev.capsule.server.host;

import dev.capsule.server.platform.RegionId;

/**
 * How many end users the host has placed in each region (docs/residency.md), for the records of processing.
 *
 * <p>Security guarantees: a count only, never who; one indexed count per region's database.
 */
public interface PlacedUsers {
    /** The number of end users whose data is placed in {@code region}. */
    long placedIn(RegionId region);
}
