package dev.capsule.server.platform.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.Residency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The residency settings (docs/residency.md, "Configuring regions"): the home region {@code capsule.region}
 * ({@code --region}, default {@value #HOME_DEFAULT}), whose database is the platform's own, and every other region's
 * database {@code capsule.regions.NAME.url} ({@code --region-db NAME=URL}: a {@code jdbc:postgresql:} URL or
 * {@value #EMBEDDED}) with its optional {@code .user} and {@code .password}. Anything else is refused in one line.
 *
 * @param home         the home region
 * @param homeExplicit whether {@code capsule.region} was set (a console command without it takes the home database's tag)
 * @param others       the other regions, by name
 */
record RegionSettings(RegionId home, boolean homeExplicit, List<Region> others) {
    /** The home region of an installation that names none. */
    static final String HOME_DEFAULT = "local";
    /** A region's URL that means an embedded PostgreSQL in {@code <data-dir>/regions/NAME/postgres}. */
    static final String EMBEDDED = "embedded";
    static final String HOME_PROPERTY = "capsule.region";
    static final String REGIONS_PROPERTY = "capsule.regions";
    static final String DOCS = "docs/residency.md";
    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    RegionSettings {
        Objects.requireNonNull(home, "home");
        others = List.copyOf(others);
    }

    /**
     * A region's database as configured.
     *
     * @param url      a {@code jdbc:postgresql:} URL, or {@value #EMBEDDED}
     * @param user     its user; null: the URL's or the driver's default
     * @param password its password; never printed ({@link #toString()} redacts it)
     */
    record Region(RegionId id, String url, String user, String password) {
        boolean embedded() {
            return url.equals(EMBEDDED);
        }

        @Override
        public String toString() {
            return "Region[" + id + ", " + (embedded() ? EMBEDDED : JdbcUrls.redact(url)) + ", user=" + user + ", password="
                    + (password == null ? "none" : "<redacted>") + "]";
        }
    }

    /** What {@code capsule.regions.NAME} binds to. */
    record Properties(String url, String user, String password) {
        @Override
        public String toString() {
            return "Properties[" + JdbcUrls.redact(url) + "]";
        }
    }

    /** The settings in {@code environment}, or a {@link RefusedStart} saying in one line what is wrong. */
    static RegionSettings from(Environment environment) {
        String homeName = environment.getProperty(HOME_PROPERTY);
        boolean explicit = homeName != null && !homeName.isBlank();
        RegionId home = region(explicit ? homeName.strip() : HOME_DEFAULT, HOME_PROPERTY + " (--region)");
        Map<String, Properties> configured = new TreeMap<>(Binder.get(environment)
                .bind(REGIONS_PROPERTY, Bindable.mapOf(String.class, Properties.class)).orElse(Map.of()));
        if (configured.size() + 1 > Residency.REGIONS_MAX) {
            throw refused((configured.size() + 1) + " regions are configured, the home region included; an installation has at most "
                    + Residency.REGIONS_MAX);
        }
        List<Region> others = new ArrayList<>();
        for (Map.Entry<String, Properties> entry : configured.entrySet()) {
            RegionId id = region(entry.getKey(), REGIONS_PROPERTY + "." + entry.getKey() + " (--region-db)");
            if (id.equals(home)) {
                throw refused("--region-db " + id + " names the home region (--region " + home + "), whose database is --db-url or "
                        + "the embedded one: give another region's database, or another home region");
            }
            Properties properties = entry.getValue();
            String url = properties.url() == null ? "" : properties.url().strip();
            if (url.isEmpty()) {
                throw refused("region '" + id + "' has no database: set " + REGIONS_PROPERTY + "." + id + ".url (--region-db " + id
                        + "=URL, a jdbc:postgresql:// URL or the word embedded)");
            }
            if (!url.equals(EMBEDDED) && !url.startsWith(JDBC_PREFIX)) {
                throw refused("the database of region '" + id + "' must be a jdbc:postgresql:// URL or the word embedded, not '"
                        + JdbcUrls.redact(url) + "'");
            }
            others.add(new Region(id, url, blankToNull(properties.user()), blankToNull(properties.password())));
        }
        return new RegionSettings(home, explicit, others);
    }

    private static RegionId region(String name, String where) {
        return RegionId.parse(name).orElseThrow(() -> refused(where + ": '" + SafeText.escape(name)
                + "' is not a region's name: 1-" + RegionId.CHARS_MAX + " lower-case letters and digits in words joined by hyphens, "
                + "starting with a letter (eu-west)"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static RefusedStart refused(String message) {
        return new RefusedStart(message + " (" + DOCS + ")", DOCS);
    }
}
