package dev.capsule.server.advisories.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.osv.OsvParser;
import dev.capsule.core.osv.PackageRef;
import dev.capsule.server.platform.ServerConsole;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code capsule osv import} on a real PostgreSQL: counts, refusals, idempotent re-import, and the lookups it feeds. */
class OsvImportTest {
    private static final PackageRef LODASH = PackageRef.of("npm", "lodash");

    record Result(int exit, String out, String err) {
    }

    private String database;
    private Path dataDir;

    @BeforeEach
    void newDatabase() throws IOException {
        database = SharedPostgres.newDatabase();
        dataDir = TestDirectories.create("osv-import");
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db-url";
        all[args.length + 1] = database;
        all[args.length + 2] = "--data-dir";
        all[args.length + 3] = dataDir.toString();
        int exit = OsvConsole.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private ConfigurableApplicationContext context() {
        return ServerConsole.start(List.of("--capsule.db.url=" + database, "--capsule.data-dir=" + dataDir), OsvConsoleConfiguration.class);
    }

    static String advisory(String id, String modified, String name, String fixed, boolean withdrawn) {
        return "{\"id\":\"" + id + "\",\"modified\":\"" + modified + "\"" + (withdrawn ? ",\"withdrawn\":\"2024-06-01T00:00:00Z\"" : "")
                + ",\"summary\":\"test advisory\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"" + name + "\"},"
                + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"" + fixed + "\"}]}]}]}";
    }

    Path zip(String name, Object... namesAndContents) throws IOException {
        Path file = dataDir.resolve(name);
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream out = new ZipOutputStream(stream)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                Object content = namesAndContents[i + 1];
                out.write(content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) content);
                out.closeEntry();
            }
        }
        return file;
    }

    private Path export() throws IOException {
        return zip("all.zip",
                "GHSA-1111-1111-1111.json", advisory("GHSA-1111-1111-1111", "2024-01-01T00:00:00Z", "lodash", "4.17.21", false),
                "GHSA-2222-2222-2222.json", advisory("GHSA-2222-2222-2222", "2024-01-01T00:00:00Z", "lodash", "4.17.12", true),
                "GHSA-3333-3333-3333.json", advisory("GHSA-3333-3333-3333", "2024-01-01T00:00:00Z", "jquery", "3.5.0", false),
                "huge.json", "{\"id\":\"HUGE-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"details\":\"" + " ".repeat(OsvParser.ADVISORY_BYTES_MAX) + "\"}",
                "broken.json", "{\"id\":\"BROKEN-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\"}}]}",
                "notes.txt", "hello");
    }

    private static List<String> ids(List<Advisory> advisories) {
        return advisories.stream().map(Advisory::id).toList();
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        for (String[] args : new String[][] {{}, {"import"}, {"import", "a.zip", "b.zip"}, {"status", "x"}, {"fetch"}, {"import", "a.zip", "--fast"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = OsvConsole.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(String.join(" ", args)).isEqualTo(OsvConsole.EXIT_USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(1).allMatch(l -> l.startsWith("capsule osv: "));
        }
    }

    @Test
    void lookupsAreRefusedUntilAnImportCompletes() throws Exception {
        try (ConfigurableApplicationContext context = context()) {
            AdvisorySource source = context.getBean(AdvisorySource.class);
            assertThatThrownBy(() -> source.affecting(LODASH)).isInstanceOf(AdvisoryLookupException.class)
                    .hasMessageContaining("capsule osv import");
        }
        assertThat(run("status").out()).contains("no imports yet");
    }

    @Test
    void importsValidEntriesRefusesTheRestWithReasonsAndFeedsLookups() throws Exception {
        Result result = run("import", export().toString());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("imported 6 entries: 3 new, 0 updated, 0 unchanged, 3 refused (1 withdrawn");
        assertThat(result.out()).contains("refused huge.json: larger than " + OsvParser.ADVISORY_BYTES_MAX + " bytes",
                "refused broken.json: broken.json: affected[0].package: missing required field 'name'", "refused notes.txt: not an advisory file");
        try (ConfigurableApplicationContext context = context()) {
            AdvisorySource source = context.getBean(AdvisorySource.class);
            assertThat(ids(source.affecting(LODASH))).as("the withdrawn one is not returned").containsExactly("GHSA-1111-1111-1111");
            assertThat(ids(source.affecting(PackageRef.of("npm", "jquery")))).containsExactly("GHSA-3333-3333-3333");
            assertThat(source.affecting(PackageRef.of("npm", "react"))).isEmpty();
            assertThat(source.affecting(PackageRef.of("PyPI", "lodash"))).as("ecosystem is part of the key").isEmpty();
            assertThat(source.affecting(List.of(LODASH, PackageRef.of("npm", "jquery"), PackageRef.of("npm", "react"))))
                    .containsOnlyKeys(LODASH, PackageRef.of("npm", "jquery"), PackageRef.of("npm", "react"));
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM osv_advisories WHERE matching IS NULL").query(Long.class).single())
                    .as("the import writes the compact matching form of every advisory").isZero();
            // A row written without it (a fixture, an older tool) is matched from its document.
            jdbc.sql("INSERT INTO osv_advisories (id, modified, document) VALUES ('GHSA-4444-4444-4444', '2024-01-01T00:00:00Z', ?)")
                    .param(advisory("GHSA-4444-4444-4444", "2024-01-01T00:00:00Z", "react", "18.0.0", false).getBytes(StandardCharsets.UTF_8)).update();
            jdbc.sql("INSERT INTO osv_affected (ecosystem, name, advisory_id) VALUES ('npm', 'react', 'GHSA-4444-4444-4444')").update();
            assertThat(ids(source.affecting(PackageRef.of("npm", "react")))).containsExactly("GHSA-4444-4444-4444");
        }
        assertThat(run("status").out()).contains("completed", "all.zip");
    }

    @Test
    void reImportIsIdempotentAndOnlyANewerCopyReplaces() throws Exception {
        Path export = export();
        assertThat(run("import", export.toString()).exit()).isZero();
        Result again = run("import", export.toString());
        assertThat(again.out()).contains("3 refused").contains("0 new, 0 updated, 3 unchanged");
        try (ConfigurableApplicationContext context = context()) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM osv_advisories").query(Long.class).single()).isEqualTo(3);
            assertThat(jdbc.sql("SELECT count(*) FROM osv_affected").query(Long.class).single()).isEqualTo(3);
        }
        // A newer copy moves the advisory to another package; an older copy after it changes nothing.
        Path newer = zip("newer.zip", "GHSA-1111-1111-1111.json", advisory("GHSA-1111-1111-1111", "2024-03-01T00:00:00Z", "lodash-es", "4.17.21", false));
        assertThat(run("import", newer.toString()).out()).contains("0 new, 1 updated, 0 unchanged");
        Path older = zip("older.zip", "GHSA-1111-1111-1111.json", advisory("GHSA-1111-1111-1111", "2024-02-01T00:00:00Z", "lodash", "4.17.21", false));
        assertThat(run("import", older.toString()).out()).contains("0 new, 0 updated, 1 unchanged");
        try (ConfigurableApplicationContext context = context()) {
            AdvisorySource source = context.getBean(AdvisorySource.class);
            assertThat(source.affecting(LODASH)).isEmpty();
            assertThat(source.affecting(PackageRef.of("npm", "lodash-es"))).extracting(Advisory::modified)
                    .extracting(Object::toString).containsExactly("2024-03-01T00:00:00Z");
        }
    }

    @Test
    void aZipBombEntryIsRefusedAndAFileThatIsNotAZipFailsInOneLine() throws Exception {
        Path bomb = zip("bomb.zip", "bomb.json", new byte[256 << 20],
                "GHSA-1111-1111-1111.json", advisory("GHSA-1111-1111-1111", "2024-01-01T00:00:00Z", "lodash", "4.17.21", false));
        Result result = run("import", bomb.toString());
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("1 new", "refused bomb.json: larger than");
        Path text = dataDir.resolve("all.zip.txt");
        Files.writeString(text, "not a zip");
        Result notZip = run("import", text.toString());
        assertThat(notZip.exit()).isEqualTo(OsvConsole.EXIT_FAILED);
        assertThat(notZip.err().lines().toList()).singleElement().asString().contains("import failed: no advisory files");
        assertThat(run("status").out()).contains("failed", "completed");
        Result missing = run("import", dataDir.resolve("nope.zip").toString());
        assertThat(missing.exit()).isEqualTo(OsvConsole.EXIT_FAILED);
        assertThat(missing.err()).startsWith("capsule osv: no such file");
    }
}
