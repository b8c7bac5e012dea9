package dev.capsule.core.osv;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where advisories come from when a package is scanned: the server's imported OSV store, or any other offline
 * collection. Implementations look up by ecosystem and name only; deciding whether a version is affected is
 * {@link AffectedCheck}'s job, the same for every source.
 *
 * <p>Security guarantees: an answer is complete or an exception, never silently cut short: a source holding more
 * than {@link #ADVISORIES_PER_PACKAGE_MAX} advisories for one package throws {@link AdvisoryLookupException}, and a
 * source that cannot answer throws rather than returning an empty list (a scan without advisories must fail, not pass).
 * Withdrawn advisories may be returned; {@link AffectedCheck} never matches them.
 */
public interface AdvisorySource {
    /** More advisories than any npm package has (lodash, the most advised, has a few dozen). */
    int ADVISORIES_PER_PACKAGE_MAX = 2_000;
    /** Packages in one batch lookup: a scanned package lists at most this many components. */
    int PACKAGES_PER_LOOKUP_MAX = 1_000;

    /** Every advisory with an {@code affected[]} entry for {@code pkg} (ecosystem and name, exact), at most {@link #ADVISORIES_PER_PACKAGE_MAX}. */
    List<Advisory> affecting(PackageRef pkg) throws AdvisoryLookupException;

    /**
     * {@link #affecting} for several packages at once (a source backed by a database answers in one round trip).
     * The map has an entry, possibly empty, for every requested package (ecosystem and name).
     */
    default Map<PackageRef, List<Advisory>> affecting(Collection<PackageRef> packages) throws AdvisoryLookupException {
        if (packages.size() > PACKAGES_PER_LOOKUP_MAX) {
            throw new AdvisoryLookupException("more than " + PACKAGES_PER_LOOKUP_MAX + " packages in one lookup");
        }
        Map<PackageRef, List<Advisory>> result = new LinkedHashMap<>();
        for (PackageRef pkg : packages) {
            result.put(PackageRef.of(pkg.ecosystem(), pkg.name()), affecting(pkg));
        }
        return result;
    }
}
