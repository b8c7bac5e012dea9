package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TwoNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code capsule keys} as an operator runs it: usage errors are one line and exit 2; against a real
 * database it lists, rotates and reports; its key events wait in the outbox until a server node
 * publishes them; a server node runs the re-wrap the console started while the console shows progress.
 */
class KeysConsoleTest {
    private static final Pattern ROTATION = Pattern.compile("rotation ([0-9a-f-]{36})");

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeysConsole.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("spin"), List.of("rotate"), List.of("rotate", "tls"),
                List.of("destroy", "operator-secrets", "0a0b0c0d"), List.of("status", "nope"), List.of("list", "--wat"),
                List.of("list", "--data-dir"), List.of("list", "--no-wait"))) {
            Result result = run(args.toArray(String[]::new));
            assertThat(result.exit()).as(args.toString()).isEqualTo(KeysConsole.EXIT_USAGE);
            assertThat(result.err().lines().toList()).as(args.toString()).hasSize(1);
            assertThat(result.err()).startsWith("capsule keys: ");
        }
        assertThat(run("rotate", "tls").err()).contains("operator-secrets");
        assertThat(run("destroy", "operator-secrets", "0a0b0c0d").err()).contains("--yes");
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("capsule keys rotate PURPOSE", "--db-url");
    }

    @Test
    void aServerWithoutItsMasterSecretIsRefusedInOneLine() throws IOException {
        Result result = run("list", "--db-url", SharedPostgres.newDatabase(), "--data-dir", TestDirectories.create("keys-console").toString());
        assertThat(result.exit()).isEqualTo(KeysConsole.EXIT_FAILED);
        assertThat(result.err().lines().toList()).hasSize(1);
        assertThat(result.err()).contains("no master secret");
    }

    @Test
    void consoleRotatesAndAServerNodeFinishesTheJobAndPublishesTheEvents() throws Exception {
        Installation installation = Installation.create("keys-console");
        String database = installation.database();
        String masterKey = installation.masterKey();
        String[] flags = installation.flags();

        Result list = run(concat(new String[] {"list"}, flags));
        assertThat(list.exit()).as(list.err()).isZero();
        // A server node made one key per purpose at start.
        assertThat(list.out().lines().filter(line -> line.contains(" primary ")).count())
                .isEqualTo(dev.capsule.server.keys.DataPurpose.values().length + dev.capsule.server.keys.SigningPurpose.values().length);

        Result signing = run(concat(new String[] {"rotate", "audit-checkpoint"}, flags));
        assertThat(signing.exit()).as(signing.err()).isZero();
        assertThat(signing.out()).contains("stays published");

        Result started = run(concat(new String[] {"rotate", "pseudonyms", "--no-wait"}, flags));
        assertThat(started.exit()).as(started.err()).isZero();
        UUID pseudonyms = rotationId(started.out());
        Result again = run(concat(new String[] {"rotate", "pseudonyms"}, flags));
        assertThat(again.exit()).isEqualTo(KeysConsole.EXIT_FAILED);
        assertThat(again.err()).contains("still running").hasLineCount(1);

        try (TwoNodes.Node node = TwoNodes.Node.start(database, masterKey)) {
            JdbcClient jdbc = node.jdbc();
            assertThat(jdbc.sql("SELECT count(*) FROM keys_event_outbox").query(Long.class).single())
                    .as("the console's events wait for a server").isGreaterThanOrEqualTo(8);

            Result waited = run(concat(new String[] {"rotate", "operator-secrets"}, flags));

            assertThat(waited.exit()).as(waited.err()).isZero();
            assertThat(waited.err()).contains("[##############################] 100%");
            awaitDone(rotationId(waited.out()), flags);
            awaitDone(pseudonyms, flags);
            awaitEmptyOutbox(jdbc);
            assertThat(jdbc.sql("SELECT count(*) FROM keys_inventory WHERE status = 'retired'").query(Long.class).single()).isEqualTo(2);
        }
    }

    /** With no server running, the console re-encrypts everything itself with a progress bar; the next server node retires the old key. */
    @Test
    void consoleAloneReencryptsWithAProgressBarAndAServerRetires() throws Exception {
        Installation installation = Installation.create("keys-console-alone");
        String database = installation.database();
        String masterKey = installation.masterKey();
        String[] flags = installation.flags();
        int subjects = 450;
        List<UUID> ids = new ArrayList<>();
        List<byte[]> sealed = new ArrayList<>();
        FieldPlace place = new FieldPlace("platform", "test", "1", "detail");
        try (TwoNodes.Node node = TwoNodes.Node.start(database, masterKey)) {
            SubjectKeys keys = node.context().getBean(SubjectKeys.class);
            for (int i = 0; i < subjects; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                sealed.add(keys.seal(id, ("value " + i).getBytes(StandardCharsets.UTF_8), place));
            }
        }

        Result rotated = run(concat(new String[] {"rotate", "subject-data"}, flags));

        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.err()).contains("[##############################] 100%  " + subjects + " re-encrypted, 0 left");
        assertThat(rotated.out()).contains("nothing is left under the old key");
        UUID rotation = rotationId(rotated.out());
        try (TwoNodes.Node node = TwoNodes.Node.start(database, masterKey)) {
            awaitDone(rotation, flags);
            SubjectKeys keys = node.context().getBean(SubjectKeys.class);
            for (int i = 0; i < subjects; i += 49) {
                String expected = "value " + i;
                assertThat(keys.open(ids.get(i), sealed.get(i), place)).hasValueSatisfying(
                        plain -> assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(expected));
            }
        }
    }

    /** A fresh database and data directory whose master secret is in the key file, as an operator would set it up. */
    private record Installation(String database, String masterKey, String[] flags) {
        static Installation create(String name) throws IOException {
            String database = SharedPostgres.newDatabase();
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String masterKey = Base64.getEncoder().encodeToString(secret);
            Path dataDir = TestDirectories.create(name);
            Files.createDirectories(dataDir.resolve("keys"));
            Files.writeString(Files.createFile(dataDir.resolve(MasterSecret.KEY_FILE), PosixFilePermissions.asFileAttribute(MasterSecret.OWNER_ONLY)),
                    masterKey + "\n");
            return new Installation(database, masterKey, new String[] {"--db-url", database, "--data-dir", dataDir.toString()});
        }
    }

    private static void awaitDone(UUID rotation, String[] flags) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Result status = run(concat(new String[] {"status", rotation.toString()}, flags));
            if (status.out().contains(": done")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("rotation " + rotation + " did not finish");
    }

    private static void awaitEmptyOutbox(JdbcClient jdbc) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jdbc.sql("SELECT count(*) FROM keys_event_outbox").query(Long.class).single() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not publish the console's key events");
            }
            Thread.sleep(200);
        }
    }

    private static UUID rotationId(String out) {
        Matcher matcher = ROTATION.matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return UUID.fromString(matcher.group(1));
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
