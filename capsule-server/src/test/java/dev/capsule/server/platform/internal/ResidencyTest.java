package dev.capsule.server.platform.internal;

import static dev.capsule.testing.server.TwoRegionServerInitializer.EU;
import static dev.capsule.testing.server.TwoRegionServerInitializer.HOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges.PurgeRun;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.ServerConsole;
import dev.capsule.server.platform.TableRewrites;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TwoRegionServerInitializer;
import dev.capsule.testing.server.TwoRegionServerTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Data residency's platform side on real PostgreSQL (docs/residency.md): a server with a home database and region eu's
 * database tags each with its region, writes through eu's database land there and not at home, an unknown region is a
 * {@code residency} problem, purges and table rewrites run in every region; a database tagged with another region
 * refuses the start in one line; {@code embedded} starts a second PostgreSQL under {@code <data-dir>/regions/eu}; and
 * settings that cannot be right are refused in one line.
 */
@TwoRegionServerTest
class ResidencyTest {
    private static final String TABLE = "residency_test_rows";

    @Autowired Residency residency;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transactions;
    @Autowired ApplicationEventPublisher events;
    @Autowired StartupReport report;
    @Autowired TableRewrites rewrites;
    @Value("${" + TwoRegionServerInitializer.EU_URL_PROPERTY + "}") String euUrl;
    @Value("${" + TwoRegionServerInitializer.HOME_URL_PROPERTY + "}") String homeUrl;

    @Test
    void eachDatabaseIsTaggedAndAWriteToEuLandsOnlyInEu() throws SQLException {
        assertThat(residency.home()).isEqualTo(HOME);
        assertThat(residency.databases()).extracting(RegionalDatabase::region).containsExactly(HOME, EU);
        assertThat(tag(homeUrl)).isEqualTo("local");
        assertThat(tag(euUrl)).isEqualTo("eu");
        // Every migration ran on the regional database: the same schema as at home.
        assertThat(query(euUrl, "SELECT max(installed_rank)::text FROM flyway_schema_history WHERE success"))
                .isEqualTo(query(homeUrl, "SELECT max(installed_rank)::text FROM flyway_schema_history WHERE success"));

        // The home region's database is the platform's own: the same JdbcClient and TransactionTemplate instances.
        RegionalDatabase home = residency.database(HOME);
        assertThat(home.jdbc()).isSameAs(jdbc);
        assertThat(home.transactions()).isSameAs(transactions);
        assertThat(residency.isHome(HOME)).isTrue();
        assertThat(residency.isHome(EU)).isFalse();

        RegionalDatabase eu = residency.database(EU);
        String euDatabase = euUrl.substring(euUrl.lastIndexOf('/') + 1, euUrl.indexOf('?'));
        assertThat(eu.location()).matches("PostgreSQL at localhost:\\d+/" + euDatabase).doesNotContain("password");
        assertThat(report.lines()).contains("Region local (home, with the control plane): " + home.location() + ", tag checked",
                "Region eu: " + eu.location() + ", tag checked");

        for (RegionalDatabase database : residency.databases()) {
            database.jdbc().sql("DROP TABLE IF EXISTS " + TABLE).update();
            database.jdbc().sql("CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, expires_at timestamptz NOT NULL)").update();
        }
        eu.transactions().executeWithoutResult(status ->
                eu.jdbc().sql("INSERT INTO " + TABLE + " VALUES (1, now())").update());
        assertThat(query(euUrl, "SELECT count(*)::text FROM " + TABLE)).isEqualTo("1");
        assertThat(query(homeUrl, "SELECT count(*)::text FROM " + TABLE)).isEqualTo("0");
        // A rolled-back transaction of eu's leaves nothing in eu either.
        assertThatThrownBy(() -> eu.transactions().executeWithoutResult(status -> {
            eu.jdbc().sql("INSERT INTO " + TABLE + " VALUES (2, now())").update();
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(query(euUrl, "SELECT count(*)::text FROM " + TABLE)).isEqualTo("1");
    }

    @Test
    void aRegionWithoutADatabaseIsAResidencyProblemNeverTheHomeDatabase() {
        assertThatThrownBy(() -> residency.database(new RegionId("ap")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.RESIDENCY))
                .hasMessageContaining("region 'ap'");
        assertThat(ProblemType.RESIDENCY.status().value()).isEqualTo(409);
    }

    @Test
    void purgesAndRewritesRunInEveryRegion() throws SQLException {
        for (RegionalDatabase database : residency.databases()) {
            database.jdbc().sql("DROP TABLE IF EXISTS " + TABLE).update();
            database.jdbc().sql("CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, expires_at timestamptz NOT NULL)").update();
            database.jdbc().sql("INSERT INTO " + TABLE + " VALUES (1, now() - interval '2 hours'), (2, now())").update();
        }
        List<Map<String, Object>> deletedRows = new ArrayList<>();
        Purge purge = new Purge("test.residency", TABLE, "expires_at < :cutoff", Duration.ofHours(1), 100, 10, Duration.ofMinutes(5))
                .then(new Purge.AfterDelete(List.of("id"), deletedRows::addAll));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        MeterRegistry meters = new SimpleMeterRegistry();
        beans.addBean("meters", meters);
        BoundedPurges purges = new BoundedPurges(residency, events, List.of(purge), beans.getBeanProvider(MeterRegistry.class));

        PurgeRun run = purges.run("test.residency");

        assertThat(run.deleted()).isEqualTo(2);
        assertThat(run.caughtUp()).isTrue();
        assertThat(deletedRows).extracting(row -> row.get("id")).containsExactly(1, 1);
        assertThat(query(euUrl, "SELECT string_agg(id::text, ',') FROM " + TABLE)).isEqualTo("2");
        assertThat(query(homeUrl, "SELECT string_agg(id::text, ',') FROM " + TABLE)).isEqualTo("2");
        assertThat(meters.get(BoundedPurges.DELETED_METRIC).tag("purge", "test.residency").counter().count()).isEqualTo(2);

        // A rewrite of the table makes a new file for it in every region's database.
        String fileAtHome = query(homeUrl, "SELECT pg_relation_filenode('" + TABLE + "')::text");
        String fileInEu = query(euUrl, "SELECT pg_relation_filenode('" + TABLE + "')::text");
        rewrites.request(TABLE);
        rewrites.runNow();
        assertThat(query(homeUrl, "SELECT pg_relation_filenode('" + TABLE + "')::text")).isNotEqualTo(fileAtHome);
        assertThat(query(euUrl, "SELECT pg_relation_filenode('" + TABLE + "')::text")).isNotEqualTo(fileInEu);
    }

    @Test
    void aDatabaseTaggedWithAnotherRegionRefusesTheStartInOneLine() {
        // Region ap pointed at eu's database (a mixed-up URL): eu's tag is there.
        String newHome = SharedPostgres.newDatabase();
        RuntimeException failure = startFails(newHome, Map.of("capsule.regions.ap.url", euUrl));
        String euDatabase = euUrl.substring(euUrl.lastIndexOf('/') + 1, euUrl.indexOf('?'));
        assertThat(ServeOptions.rootMessage(failure)).matches("the database at PostgreSQL at localhost:\\d+/" + euDatabase
                + " is tagged region 'eu'; this server was started to keep region 'ap' there: refusing to place one region's data "
                + "in another's database \\(docs/residency.md\\)");
        assertThat(new RefusedStartAnalyzer().analyze(failure)).isNotNull();
        // Nothing was written into eu's database: its tag is still eu's alone.
        assertThat(tagRows(euUrl)).isEqualTo("eu");
    }

    @Test
    void embeddedStartsASecondPostgresUnderTheDataDirectoryAndTagsIt() throws Exception {
        Path dataDir = TestDirectories.create("capsule-region-embedded");
        try (ConfigurableApplicationContext context = start(SharedPostgres.newDatabase(), dataDir,
                Map.of("capsule.region", "sg", "capsule.regions.eu.url", "embedded"))) {
            Residency started = context.getBean(Residency.class);
            assertThat(started.home()).isEqualTo(new RegionId("sg"));
            RegionalDatabase eu = started.database(EU);
            Path cluster = dataDir.toAbsolutePath().normalize().resolve("regions/eu/postgres");
            assertThat(cluster.resolve("PG_VERSION")).exists();
            assertThat(cluster.resolveSibling("postgres.password")).exists();
            assertThat(eu.location()).isEqualTo("embedded PostgreSQL " + EmbeddedPostgresServer.MAJOR_VERSION + " in " + cluster);
            assertThat(eu.jdbc().sql("SELECT region FROM platform_region_tag").query(String.class).single()).isEqualTo("eu");
            assertThat(eu.jdbc().sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
            assertThat(started.database(new RegionId("sg")).jdbc().sql("SELECT region FROM platform_region_tag")
                    .query(String.class).single()).isEqualTo("sg");
        }
        // Closed with the context: its PostgreSQL stopped.
        assertThat(dataDir.resolve("regions/eu/postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    void aConsoleCommandTakesTheHomeRegionFromTheTagAndWritesNone() throws Exception {
        // eu's database as a console's home database, without CAPSULE_REGION: the tag says which region it is.
        try (ConfigurableApplicationContext console = ServerConsole.start(List.of("--capsule.db.url=" + euUrl,
                "--capsule.data-dir=" + TestDirectories.create("capsule-region-console")), ConsoleBase.class)) {
            Residency consoleResidency = console.getBean(Residency.class);
            assertThat(consoleResidency.home()).isEqualTo(EU);
            assertThat(consoleResidency.databases()).extracting(RegionalDatabase::region).containsExactly(EU);
        }
        // Told another home region, it is refused like a server.
        assertThatThrownBy(() -> ServerConsole.start(List.of("--capsule.db.url=" + euUrl, "--capsule.region=sg",
                "--capsule.data-dir=" + TestDirectories.create("capsule-region-console")), ConsoleBase.class))
                .satisfies(e -> assertThat(ServeOptions.rootMessage(e)).contains("is tagged region 'eu'; this server was started to "
                        + "keep region 'sg' there"));
        assertThat(tagRows(euUrl)).isEqualTo("eu");
    }

    @Test
    void settingsThatCannotBeRightAreRefusedInOneLine() {
        assertRefused(Map.of("capsule.regions.local.url", "embedded"), "--region-db local names the home region (--region local), "
                + "whose database is --db-url or the embedded one: give another region's database, or another home region "
                + "(docs/residency.md)");
        assertRefused(Map.of("capsule.regions.eu.url", "mysql://alice:secret@db/x?password=secret"), "the database of region 'eu' "
                + "must be a jdbc:postgresql:// URL or the word embedded, not 'mysql://db/x' (docs/residency.md)");
        assertRefused(Map.of("capsule.regions.eu_west.url", "embedded"), "capsule.regions.eu_west (--region-db): 'eu_west' is not a "
                + "region's name: 1-32 lower-case letters and digits in words joined by hyphens, starting with a letter (eu-west) "
                + "(docs/residency.md)");
        assertRefused(Map.of("capsule.region", "Europe"), "capsule.region (--region): 'Europe' is not a region's name: 1-32 "
                + "lower-case letters and digits in words joined by hyphens, starting with a letter (eu-west) (docs/residency.md)");
        assertRefused(Map.of("capsule.regions.eu.user", "alice"), "region 'eu' has no database: set capsule.regions.eu.url "
                + "(--region-db eu=URL, a jdbc:postgresql:// URL or the word embedded) (docs/residency.md)");
        MockEnvironment many = new MockEnvironment();
        for (int i = 0; i < Residency.REGIONS_MAX; i++) {
            many.setProperty("capsule.regions.r" + i + ".url", "embedded");
        }
        assertThatThrownBy(() -> RegionSettings.from(many)).isInstanceOf(RefusedStart.class)
                .hasMessage("17 regions are configured, the home region included; an installation has at most 16 (docs/residency.md)");

        MockEnvironment fine = new MockEnvironment().withProperty("capsule.region", "eu-west")
                .withProperty("capsule.regions.sg.url", "jdbc:postgresql://sg.db/capsule")
                .withProperty("capsule.regions.sg.password", "secret");
        RegionSettings settings = RegionSettings.from(fine);
        assertThat(settings.home()).isEqualTo(new RegionId("eu-west"));
        assertThat(settings.others()).singleElement().satisfies(region -> {
            assertThat(region.id()).isEqualTo(new RegionId("sg"));
            assertThat(region.password()).isEqualTo("secret");
            assertThat(region.toString()).doesNotContain("secret");
        });
        assertThat(RegionSettings.from(new MockEnvironment()).home()).isEqualTo(new RegionId("local"));

        // The documented environment variables.
        org.springframework.core.env.StandardEnvironment fromEnvironment = new org.springframework.core.env.StandardEnvironment();
        fromEnvironment.getPropertySources().addFirst(new org.springframework.core.env.SystemEnvironmentPropertySource(
                "test-systemEnvironment", Map.of("CAPSULE_REGION", "sg", "CAPSULE_REGIONS_EU_URL", "embedded",
                        "CAPSULE_REGIONS_EU_USER", "alice", "CAPSULE_REGIONS_EU_PASSWORD", "secret")));
        RegionSettings environmentSettings = RegionSettings.from(fromEnvironment);
        assertThat(environmentSettings.home()).isEqualTo(new RegionId("sg"));
        assertThat(environmentSettings.others()).containsExactly(new RegionSettings.Region(EU, "embedded", "alice", "secret"));
    }

    private static void assertRefused(Map<String, String> properties, String line) {
        MockEnvironment environment = new MockEnvironment();
        properties.forEach(environment::setProperty);
        assertThatThrownBy(() -> RegionSettings.from(environment)).isInstanceOf(RefusedStart.class).hasMessage(line);
    }

    /** The platform's database and residency alone (no web server): what a start does before anything else. */
    private static ConfigurableApplicationContext start(String homeUrl, Path dataDir, Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("--capsule.db.url=" + homeUrl, "--capsule.data-dir=" + dataDir,
                "--logging.level.root=WARN"));
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(ConsoleBase.class).web(WebApplicationType.NONE).registerShutdownHook(false)
                .run(args.toArray(String[]::new));
    }

    private static RuntimeException startFails(String homeUrl, Map<String, String> properties) {
        try (ConfigurableApplicationContext context = start(homeUrl, TestDirectories.create("capsule-region-refused"), properties)) {
            throw new AssertionError("the start was not refused: " + context);
        } catch (RuntimeException e) {
            return e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tag(String url) throws SQLException {
        return query(url, "SELECT region FROM platform_region_tag");
    }

    private static String tagRows(String url) {
        try {
            return query(url, "SELECT string_agg(region, ',') FROM platform_region_tag");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row, read with plain JDBC: what is really in that database. */
    private static String query(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
