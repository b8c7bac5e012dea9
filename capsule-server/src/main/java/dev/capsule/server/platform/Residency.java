package dev.capsule.server.platform;

import java.util.List;

/**
 * Data residency: the installation's home region and the database of every region it stores data in
 * (docs/residency.md). The home region's database is the platform's own (the control plane: operators, keys, registry,
 * releases, the audit log, payments) and stores the personal data of the home region's people; each other region
 * ({@code --region-db NAME=URL}) has a database of its own, migrated with the same schema, that stores the personal data
 * of that region's people and nothing else.
 *
 * <p>Security guarantees: every database carries its region's tag, written at its first start and compared at every
 * start after: a database tagged with another region (a mixed-up URL, two regions on one database) refuses the start,
 * so no code can place a region's data in another region's database by configuration; {@link #database} refuses a
 * region that is not configured (a {@link ProblemType#RESIDENCY} problem), never falling back to the home database.
 * A module that stores personal data chooses the database of the person's region through this interface and nothing
 * else.
 */
public interface Residency {
    /** The most regions an installation may have, the home region included: every lookup across regions is bounded by it. */
    int REGIONS_MAX = 16;

    /** The installation's home region ({@code --region}, {@code capsule.region}). */
    RegionId home();

    /** Every region's database, the home region's first; at most {@link #REGIONS_MAX}. */
    List<RegionalDatabase> databases();

    /**
     * The database of {@code region}.
     *
     * @throws ProblemException a {@link ProblemType#RESIDENCY} problem when the installation has no such region
     */
    RegionalDatabase database(RegionId region);

    /** Whether {@code region} is the home region. */
    default boolean isHome(RegionId region) {
        return home().equals(region);
    }
}
