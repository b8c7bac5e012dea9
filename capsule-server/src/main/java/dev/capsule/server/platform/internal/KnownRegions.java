package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.RegionId;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The regions an installation has had a database for ({@code platform_regions_known}, V118, in the home database;
 * docs/residency.md, "Retiring a region"): a server start records the regions it opens, and refuses to start without
 * one it has had, because the people placed in that region would not be found and a sign-in could place them again in
 * another region.
 */
final class KnownRegions {
    /** The most rows read: a table of regions, bounded like the regions themselves. */
    private static final int ROWS_MAX = 1_000;

    private KnownRegions() {
    }

    /**
     * Records {@code others} (unless {@code write} is false: console commands only check) and refuses the start when a
     * region recorded before is not among them.
     */
    static void check(JdbcClient home, Set<RegionId> others, boolean write) {
        if (write) {
            for (RegionId region : others) {
                home.sql("INSERT INTO platform_regions_known (region) VALUES (:r) ON CONFLICT DO NOTHING").param("r", region.value()).update();
            }
        }
        List<String> missing = home.sql("SELECT region FROM platform_regions_known ORDER BY region LIMIT :n").param("n", ROWS_MAX)
                .query(String.class).list().stream().filter(region -> !others.contains(new RegionId(region))).toList();
        if (!missing.isEmpty()) {
            throw RegionSettings.refused("this installation has had a database for region '" + missing.getFirst() + "', and this server was "
                    + "started without one (--region-db " + missing.getFirst() + "=URL): the people placed there would not be found and "
                    + "could be placed again in another region, so the server does not start; to retire a region, see \"Retiring a "
                    + "region\"");
        }
    }
}
