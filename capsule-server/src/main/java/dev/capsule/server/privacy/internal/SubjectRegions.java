package dev.capsule.server.privacy.internal;

import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.SubjectPlacements;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Where the privacy module keeps a person's requests and exports: the database of the region the person is placed in
 * ({@link SubjectPlacements}), or the home region's for a person never placed (who has no data anywhere else).
 *
 * <p>Security guarantees: a person's region is read from {@link SubjectPlacements} and nothing else, and its database
 * from {@link Residency}, which refuses a region that is not configured rather than falling back to the home database;
 * a look-up across regions reads at most {@link Residency#REGIONS_MAX} databases.
 */
@Component
class SubjectRegions {
    private final Residency residency;
    private final SubjectPlacements placements;

    SubjectRegions(Residency residency, SubjectPlacements placements) {
        this.residency = residency;
        this.placements = placements;
    }

    /** The database of {@code subject}'s region: where their requests and exports are. */
    RegionalDatabase of(DataSubject subject) {
        return residency.database(placements.regionOf(subject).orElse(residency.home()));
    }

    /**
     * The database of {@code region}.
     *
     * @throws dev.capsule.server.platform.ProblemException a residency problem for a region that is not configured
     */
    RegionalDatabase of(RegionId region) {
        return residency.database(region);
    }

    /** Every region's database, the home region's first, at most {@link Residency#REGIONS_MAX}. */
    List<RegionalDatabase> all() {
        return residency.databases().stream().limit(Residency.REGIONS_MAX).toList();
    }

    /** The installation's home region's database (the audit log's, the keys'). */
    RegionalDatabase home() {
        return residency.database(residency.home());
    }

    /**
     * Runs {@code work} in one transaction of {@code region}'s database, itself inside a transaction of the home
     * database, so that what the work writes at home (audit entries, data-subject keys) commits with it: the region's
     * transaction commits first, then the home one; a failure before the region's commit rolls both back. For the home
     * region the two are one transaction, as before residency.
     */
    <T> T inTransaction(RegionalDatabase region, Supplier<T> work) {
        return home().transactions().execute(home -> region.transactions().execute(status -> work.get()));
    }
}
