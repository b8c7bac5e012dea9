package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The region tag of a database ({@code platform_region_tag}, V115; docs/residency.md, "Region tags"): written by the first
 * start against the database (race-free across nodes: INSERT … ON CONFLICT, then read back what won), compared at every
 * start after.
 */
final class RegionTags {
    private RegionTags() {
    }

    /** The database's tag, if it has one. */
    static Optional<RegionId> read(JdbcClient jdbc) {
        return jdbc.sql("SELECT region FROM platform_region_tag").query(String.class).optional().map(RegionId::new);
    }

    /**
     * Tags {@code database} with its region unless it is tagged (only when {@code write}), and refuses the start in one
     * line when it carries another region's tag.
     */
    static void check(RegionalDatabase database, boolean write) {
        if (write) {
            database.jdbc().sql("INSERT INTO platform_region_tag (region) VALUES (:region) ON CONFLICT DO NOTHING")
                    .param("region", database.region().value()).update();
        }
        Optional<RegionId> tag = read(database.jdbc());
        if (tag.isPresent() && !tag.get().equals(database.region())) {
            throw refusal(database.location(), tag.get(), database.region());
        }
    }

    static RefusedStart refusal(String location, RegionId tagged, RegionId configured) {
        return new RefusedStart("the database at " + location + " is tagged region '" + tagged + "'; this server was started to keep "
                + "region '" + configured + "' there: refusing to place one region's data in another's database ("
                + RegionSettings.DOCS + ")", RegionSettings.DOCS);
    }
}
