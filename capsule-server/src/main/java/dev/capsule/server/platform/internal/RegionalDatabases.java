package dev.capsule.server.platform.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Residency}: the home region's database is the platform's own ({@code JdbcClient} and {@code TransactionTemplate}
 * beans, the very instances); each other region has its own small pool, transaction manager, template and client, and
 * its own embedded PostgreSQL in {@code <data-dir>/regions/NAME/postgres} when its URL is {@code embedded}. None of them
 * is a bean: only this object, closed with the context (pools, then embedded servers). Each regional database is
 * migrated with the home one's Flyway settings, and every database's region tag is written on its first start and
 * compared at every start ({@link RegionTags}).
 */
final class RegionalDatabases implements Residency, AutoCloseable {
    /** Connections per region per node: a region's database serves its people's personal data only. */
    static final int POOL_CONNECTIONS_MAX = 8;

    private static final Logger log = LoggerFactory.getLogger("capsule");

    private final RegionId home;
    private final Map<RegionId, RegionalDatabase> byRegion;
    private final List<AutoCloseable> opened;

    private RegionalDatabases(RegionId home, Map<RegionId, RegionalDatabase> byRegion, List<AutoCloseable> opened) {
        this.home = home;
        this.byRegion = byRegion;
        this.opened = opened;
    }

    /**
     * Opens, migrates and checks the tag of every region's database; on any failure closes what it opened and throws
     * (a {@link RefusedStart} for a wrong tag or a refused setting).
     *
     * @param console a console command's context: an embedded regional database a running server holds is attached to,
     *                and without {@code capsule.region} the home region is the home database's tag; tags are only read
     */
    static RegionalDatabases open(RegionSettings settings, CapsuleSettings capsule, DatabaseConfiguration.DatabaseLocation homeLocation,
            JdbcClient homeJdbc, TransactionTemplate homeTransactions, Flyway homeFlyway, boolean console) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            RegionId home = settings.home();
            if (console && !settings.homeExplicit()) {
                home = RegionTags.read(homeJdbc).orElse(home);
            }
            Map<RegionId, RegionalDatabase> byRegion = new LinkedHashMap<>();
            RegionalDatabase homeDatabase = new RegionalDatabase(home, homeLocation.location(), homeJdbc, homeTransactions);
            RegionTags.check(homeDatabase, !console);
            byRegion.put(home, homeDatabase);
            for (RegionSettings.Region region : settings.others()) {
                if (byRegion.containsKey(region.id())) {
                    throw RegionSettings.refused("region '" + region.id() + "' is the home region (the home database's tag)");
                }
                RegionalDatabase database = openRegion(region, capsule, homeFlyway, console, opened);
                RegionTags.check(database, !console);
                byRegion.put(region.id(), database);
            }
            return new RegionalDatabases(home, byRegion, opened);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static RegionalDatabase openRegion(RegionSettings.Region region, CapsuleSettings capsule, Flyway homeFlyway, boolean console,
            List<AutoCloseable> opened) {
        DatabaseConfiguration.DatabaseLocation location;
        if (region.embedded()) {
            location = DatabaseConfiguration.embedded(capsule.dataDir().resolve("regions").resolve(region.id().value()).resolve("postgres"),
                    console);
        } else {
            DatabaseConfiguration.plaintextWarning(region.url(), "--region-db", DatabaseConfiguration::isLoopback).ifPresent(log::warn);
            location = new DatabaseConfiguration.DatabaseLocation(Optional.empty(), region.url(), region.user(), region.password(),
                    Optional.empty());
        }
        opened.add(location);
        HikariDataSource pool = DatabaseConfiguration.pool(location, "capsule-region-" + region.id(), POOL_CONNECTIONS_MAX);
        opened.add(pool);
        // The same migrations and settings as the home database: one schema everywhere, so the same SQL runs on either.
        Flyway.configure(homeFlyway.getConfiguration().getClassLoader()).configuration(homeFlyway.getConfiguration())
                .dataSource(pool).load().migrate();
        return new RegionalDatabase(region.id(), location.location(), JdbcClient.create(pool),
                new TransactionTemplate(new DataSourceTransactionManager(pool)));
    }

    @Override
    public RegionId home() {
        return home;
    }

    @Override
    public List<RegionalDatabase> databases() {
        return List.copyOf(byRegion.values());
    }

    @Override
    public RegionalDatabase database(RegionId region) {
        Objects.requireNonNull(region, "region");
        RegionalDatabase database = byRegion.get(region);
        if (database == null) {
            throw new ProblemException(ProblemType.RESIDENCY, "This installation stores no data in region '" + region
                    + "': it has no database for it (docs/residency.md).");
        }
        return database;
    }

    @Override
    public void close() {
        closeAll(opened, null);
    }

    /** Closes in reverse order of opening (a region's pool before its embedded server). */
    private static void closeAll(List<AutoCloseable> opened, RuntimeException failure) {
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    log.warn("a regional database did not close cleanly ({})", e.getClass().getSimpleName());
                }
            }
        }
        opened.clear();
    }

    @Override
    public String toString() {
        return "RegionalDatabases[home " + home + ", " + byRegion.values() + "]";
    }
}
