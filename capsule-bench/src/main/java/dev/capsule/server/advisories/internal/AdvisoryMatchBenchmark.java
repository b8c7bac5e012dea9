package dev.capsule.server.advisories.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AffectedCheck;
import dev.capsule.core.osv.PackageRef;
import dev.capsule.core.osv.Verdict;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.review.sbom.SupplyChainScan;
import dev.capsule.server.advisories.AdvisoryImport;
import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Matching an SBOM against a whole-ecosystem OSV store, on a real embedded PostgreSQL through the module's real
 * importer and advisory source (this class sits in their package to build them without a Spring context).
 *
 * <p>Setup (once per trial): a SYNTHETIC export of the npm {@code all.zip}'s shape and scale ({@code advisories}
 * advisories over {@code packages} package names, about 1 KiB of JSON each, GitHub-style ECOSYSTEM ranges and
 * malicious-package-style "every version" ranges, one in 50 withdrawn) is written to a zip and imported once with
 * {@link OsvImporter}. The real export cannot be downloaded on the build machine.
 *
 * <ul>
 *   <li>{@code matchSbom}: the {@value #COMPONENTS} components of an SBOM (each a package with
 *       {@value #HOT_ADVISORIES} advisories, as popular libraries have) looked up in one query and every advisory
 *       evaluated with {@link AffectedCheck}: what the review does per package, without writing the SBOM.</li>
 *   <li>{@code scanPackage}: {@link SupplyChainScan#scan} of a package declaring those {@value #COMPONENTS}
 *       dependencies: detection, lookup, matching and the CycloneDX document.</li>
 *   <li>{@code singleLookup} (anchor): one indexed lookup of one package name.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar AdvisoryMatchBenchmark} (add
 * {@code -p advisories=20000 -p packages=10000} for a quick run).
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AdvisoryMatchBenchmark {
    static final int COMPONENTS = 50;
    static final int HOT_ADVISORIES = 20;
    private static final String DETAILS = ("A crafted input reaches a code path that the library did not expect, which lets an attacker"
            + " pollute Object.prototype or exhaust the event loop, depending on how the application uses the affected function. ").repeat(4);

    @State(Scope.Benchmark)
    public static class Store {
        @Param("200000")
        public int advisories;
        @Param("100000")
        public int packages;

        EmbeddedPostgresServer server;
        Path directory;
        HikariDataSource dataSource;
        JdbcAdvisories source;
        List<PackageRef> sbom;
        Map<PackageRef, String> versions;
        CapsulePackage pkg;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            directory = Files.createTempDirectory("capsule-bench-osv");
            server = EmbeddedPostgresServer.start(directory.resolve("postgres"));
            server.createDatabase("osv_bench");
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.jdbcUrl("osv_bench"));
            config.setUsername(server.user());
            config.setPassword(server.password());
            config.setMaximumPoolSize(4);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            JdbcTemplate template = new JdbcTemplate(dataSource);
            OsvImporter importer = new OsvImporter(jdbc, template, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
            source = new JdbcAdvisories(jdbc, template);

            Path zip = directory.resolve("all.zip");
            long started = System.nanoTime();
            writeExport(zip, advisories, packages);
            long written = System.nanoTime();
            AdvisoryImport report = importer.importFile(zip);
            long imported = System.nanoTime();
            System.out.printf("%n[capsule-bench] synthetic export: %,d advisories over %,d names, %,d bytes zipped, written in %d s; "
                    + "imported in %d s (%,d new, %,d refused); database %s%n", advisories, packages, Files.size(zip),
                    (written - started) / 1_000_000_000L, (imported - written) / 1_000_000_000L, report.inserted(), report.refused(),
                    jdbc.sql("SELECT pg_size_pretty(pg_database_size(current_database()))").query(String.class).single());

            sbom = new ArrayList<>();
            versions = new TreeMap<>(Comparator.comparing(PackageRef::name));
            StringBuilder dependencies = new StringBuilder();
            for (int i = 0; i < COMPONENTS; i++) {
                PackageRef ref = PackageRef.of("npm", hotName(i));
                sbom.add(ref);
                String version = "1." + (i % 10) + ".0";
                versions.put(ref, version);
                dependencies.append(i == 0 ? "" : ",").append("{\"ecosystem\":\"npm\",\"name\":\"").append(ref.name())
                        .append("\",\"version\":\"").append(version).append("\"}");
            }
            var files = new TreeMap<String, byte[]>();
            files.put("capsule.json", ("{\"id\":\"com.example.bench\",\"version\":\"1.0.0\",\"name\":\"Bench\",\"developer\":{\"id\":\"ex\",\"name\":\"Ex\"},"
                    + "\"dependencies\":[" + dependencies + "]}").getBytes(StandardCharsets.UTF_8));
            files.put("app.json", "{\"pages\":[\"pages/index/index\"]}".getBytes(StandardCharsets.UTF_8));
            files.put("app.js", "App({})".getBytes(StandardCharsets.UTF_8));
            files.put("pages/index/index.js", "Page({data:{}})".getBytes(StandardCharsets.UTF_8));
            pkg = PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
            // Sanity: the workload finds what it should (hot packages have advisories, some versions are affected).
            if (findings(this) == 0) {
                throw new IllegalStateException("the synthetic SBOM matches nothing: the benchmark would measure an empty answer");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            dataSource.close();
            server.close();
            try (var paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static String hotName(int i) {
        return "hot-lib-" + i;
    }

    /**
     * Writes {@code count} advisories: the first {@code COMPONENTS * HOT_ADVISORIES} on the hot packages (ranges
     * fixed at 1.(k).0 for k = 0..9), the rest spread over {@code names} package names, every third one a
     * malicious-package report ("introduced": "0", no fix), one in 50 withdrawn.
     */
    static void writeExport(Path zip, int count, int names) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(new java.io.BufferedOutputStream(file))) {
            for (int i = 0; i < count; i++) {
                String id = (i % 3 == 0 ? "MAL-2024-" : "GHSA-bench-") + i;
                String name;
                String events;
                int hot = COMPONENTS * HOT_ADVISORIES;
                if (i < hot) {
                    name = hotName(i % COMPONENTS);
                    events = "{\"introduced\":\"0\"},{\"fixed\":\"1." + (i % 10) + ".5\"}";
                } else {
                    name = "pkg-" + (i % names);
                    events = i % 3 == 0 ? "{\"introduced\":\"0\"}" : "{\"introduced\":\"1.0.0\"},{\"fixed\":\"" + (1 + i % 7) + ".2.3\"}";
                }
                String json = "{\"schema_version\":\"1.6.0\",\"id\":\"" + id + "\",\"modified\":\"2024-0" + (1 + i % 9) + "-01T00:00:00Z\","
                        + "\"published\":\"2023-01-01T00:00:00Z\"" + (i % 50 == 49 ? ",\"withdrawn\":\"2024-10-01T00:00:00Z\"" : "")
                        + ",\"aliases\":[\"CVE-2024-" + (10000 + i) + "\"],\"summary\":\"Synthetic advisory " + i + "\",\"details\":\"" + DETAILS + "\","
                        + "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:" + (i % 2 == 0 ? "H" : "N") + "/A:N\"}],"
                        + "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"" + name + "\",\"purl\":\"pkg:npm/" + name + "\"},"
                        + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[" + events + "]}],\"database_specific\":{\"source\":\"synthetic\"}}],"
                        + "\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://example.com/advisories/" + id + "\"}],"
                        + "\"database_specific\":{\"severity\":\"" + (i % 4 == 0 ? "CRITICAL" : "MODERATE") + "\",\"github_reviewed\":true}}";
                out.putNextEntry(new ZipEntry(id + ".json"));
                out.write(json.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static int findings(Store store) throws AdvisoryLookupException {
        int affected = 0;
        Map<PackageRef, List<Advisory>> found = store.source.affecting(store.sbom);
        for (PackageRef ref : store.sbom) {
            for (Advisory advisory : found.get(ref)) {
                if (AffectedCheck.check(advisory, ref, store.versions.get(ref)) instanceof Verdict.Affected) {
                    affected++;
                }
            }
        }
        return affected;
    }

    @Benchmark
    public int matchSbom(Store store) throws AdvisoryLookupException {
        return findings(store);
    }

    @Benchmark
    public int scanPackage(Store store) throws AdvisoryLookupException {
        return new SupplyChainScan(store.source).scan(store.pkg).findings().size();
    }

    @Benchmark
    public int singleLookup(Store store) throws AdvisoryLookupException {
        // A different cold-ish name each call: the anchor is one index probe and one round trip.
        return store.source.affecting(PackageRef.of("npm", "pkg-" + (store.next++ % store.packages))).size();
    }
}
