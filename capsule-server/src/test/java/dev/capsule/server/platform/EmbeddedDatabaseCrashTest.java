package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.CapsuleCli;
import dev.capsule.server.platform.internal.EmbeddedCluster;
import dev.capsule.testing.server.ServerProcess;
import dev.capsule.testing.server.ServerProcessMain;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's own embedded database keeps what it acknowledged: a real server process on real HTTPS
 * takes API key changes (each one also an audit event) from three clients; the server's JVM and its
 * PostgreSQL are killed with SIGKILL while requests are in flight; the server restarted on the same
 * data directory has every change it had answered 2xx for, and its audit log holds their events and
 * verifies ({@code capsule audit verify --url}). On the way, the running postmaster's settings are read
 * from the server's own database, reached as {@code capsule keys} reaches it (port and password from
 * the data directory).
 */
class EmbeddedDatabaseCrashTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Acknowledged creations to wait for before the kill (each also approved): enough to be mid-load. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 24;
    private static final int CLIENTS = 3;
    private static final Duration LOAD_MAX = Duration.ofSeconds(90);
    private static final Duration AUDIT_WAIT_MAX = Duration.ofSeconds(60);

    @Test
    void everyAcknowledgedWriteSurvivesSigkillOfServerAndPostgres() throws Exception {
        Path root = TestDirectories.create("capsule-crash");
        Path dataDir = root.resolve("data");
        Path fixturesFile = root.resolve("fixtures.properties");
        List<String> properties = List.of("-D" + ServerProcessMain.FIXTURES_PROPERTY + "=" + fixturesFile);
        String[] serve = {"--data-dir", dataDir.toString(), "--port", "0"};

        Set<String> created = ConcurrentHashMap.newKeySet();
        Set<String> approved = ConcurrentHashMap.newKeySet();
        Properties fixtures = new Properties();
        Path auditorKeyFile = root.resolve("auditor-key");
        try (ServerProcess first = ServerProcess.launch(ServerProcessMain.class, root.resolve("first.log"), properties, serve)) {
            Client client = new Client(first.awaitReady(), dataDir);
            awaitFile(fixturesFile, first);
            try (Reader in = Files.newBufferedReader(fixturesFile)) {
                fixtures.load(in);
            }
            String[] admin = fixtures.getProperty("admin").split("\t");
            String[] officer = fixtures.getProperty("officer").split("\t");

            assertDurableSettings(dataDir);

            String auditor = client.createKey(admin, "crash auditor");
            JsonNode auditorKey = JSON.readTree(auditor);
            String auditorId = auditorKey.get("key").get("keyId").asString();
            assertThat(client.approve(officer, auditorId).statusCode()).isEqualTo(200);
            Files.writeString(auditorKeyFile, auditorKey.get("token").asString());
            created.add(auditorId);
            approved.add(auditorId);

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int number = c;
                clients.add(Thread.ofPlatform().name("crash-client-" + c).start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            String body = client.createKey(admin, "load " + number + "-" + i);
                            String keyId = JSON.readTree(body).get("key").get("keyId").asString();
                            created.add(keyId);
                            if (client.approve(officer, keyId).statusCode() == 200) {
                                approved.add(keyId);
                            }
                        } catch (RuntimeException e) {
                            // The server died under this request: not acknowledged, so nothing is expected of it.
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + LOAD_MAX.toNanos();
            while (approved.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(approved).as("acknowledged approvals before the kill").hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            killPostgres(dataDir);
            first.kill();
            stop.set(true);
            for (Thread thread : clients) {
                thread.join();
            }
        }
        // Copies taken after the kill: every entry in them was acknowledged before it.
        Set<String> expectCreated = Set.copyOf(created);
        Set<String> expectApproved = Set.copyOf(approved);

        try (ServerProcess second = ServerProcess.launch(ServerProcessMain.class, root.resolve("second.log"), properties, serve)) {
            Client client = new Client(second.awaitReady(), dataDir);
            String[] admin = fixtures.getProperty("admin").split("\t");
            for (String keyId : expectCreated) {
                HttpResponse<String> key = client.send(client.request("/api/v1/api-keys/" + keyId, admin).GET());
                assertThat(key.statusCode()).as("key %s after the crash: %s", keyId, key.body()).isEqualTo(200);
                if (expectApproved.contains(keyId)) {
                    assertThat(JSON.readTree(key.body()).get("approvedAt").isNull()).as("approval of %s", keyId).isFalse();
                }
            }

            String bearer = "Bearer " + Files.readString(auditorKeyFile).strip();
            long deadline = System.nanoTime() + AUDIT_WAIT_MAX.toNanos();
            List<String> missing;
            do {
                missing = missingEvents(client, bearer, expectCreated, expectApproved);
                if (!missing.isEmpty()) {
                    Thread.sleep(500);
                }
            } while (!missing.isEmpty() && System.nanoTime() < deadline);
            assertThat(missing).as("acknowledged changes without their audit event under a checkpoint").isEmpty();

            Path trust = root.resolve("audit.pub");
            Files.writeString(trust, fixtures.getProperty("auditKey"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = CapsuleCli.run(new String[] {"audit", "verify", "--url", "https://localhost:" + client.port, "--trust",
                    trust.toString(), "--api-key-file", auditorKeyFile.toString(), "--tls-fingerprint", fixtures.getProperty("tlsFingerprint")},
                    new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(exit).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("verified");
        }
        // The database password was never logged, on the first start (initdb) or the second (crash recovery).
        String password = Files.readString(dataDir.resolve("postgres.password")).strip();
        assertThat(Files.readString(root.resolve("first.log"))).doesNotContain(password);
        assertThat(Files.readString(root.resolve("second.log"))).doesNotContain(password);
    }

    /** SHOW on the running server's own postmaster, connected to as {@code capsule keys} connects while it runs. */
    private static void assertDurableSettings(Path dataDir) throws SQLException {
        EmbeddedCluster.Running running = new EmbeddedCluster(dataDir.resolve("postgres")).running().orElseThrow();
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", running.password());
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + running.port() + "/capsule", login);
             Statement statement = connection.createStatement()) {
            assertThat(show(statement, "fsync")).isEqualTo("on");
            assertThat(show(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(show(statement, "full_page_writes")).isEqualTo("on");
            assertThat(show(statement, "password_encryption")).isEqualTo("scram-sha-256");
            assertThat(show(statement, "server_version_num")).startsWith("18");
        }
    }

    static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** SIGKILL to the postmaster and every backend of it (the pid in postmaster.pid). */
    private static void killPostgres(Path dataDir) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.addFirst(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(process -> process.onExit().join());
    }

    /** Events of acknowledged changes not yet in the log under its latest checkpoint, as "type keyId". */
    private static List<String> missingEvents(Client client, String bearer, Set<String> created, Set<String> approved) {
        HttpResponse<String> checkpoint = client.send(client.request("/api/v1/audit/checkpoint", "Authorization", bearer).GET());
        if (checkpoint.statusCode() != 200) {
            return List.of("no checkpoint yet (" + checkpoint.statusCode() + ")");
        }
        long size = Long.parseLong(checkpoint.body().split("\n")[1]);
        StringBuilder entries = new StringBuilder();
        for (long start = 0; start < size; start += 1000) {
            HttpResponse<String> page = client.send(client.request("/api/v1/audit/entries?start=" + start + "&end=" + Math.min(size, start + 1000),
                    "Authorization", bearer).GET());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JSON.readTree(page.body()).get("entries").forEach(e ->
                    entries.append(new String(Base64.getDecoder().decode(e.get("entry").asString()), StandardCharsets.UTF_8)).append('\n'));
        }
        List<String> lines = entries.toString().lines().toList();
        List<String> missing = new ArrayList<>();
        created.forEach(keyId -> {
            if (lines.stream().noneMatch(l -> l.contains("\"api-key.create\"") && l.contains(keyId))) {
                missing.add("api-key.create " + keyId);
            }
        });
        approved.forEach(keyId -> {
            if (lines.stream().noneMatch(l -> l.contains("\"api-key.approve\"") && l.contains(keyId))) {
                missing.add("api-key.approve " + keyId);
            }
        });
        return missing;
    }

    private static void awaitFile(Path file, ServerProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + ServerProcess.START_MAX.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("fixtures of the server process:\n%s", process.output()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** HTTPS to the server process, trusting exactly its development certificate. */
    private static final class Client {
        private final int port;
        private final HttpClient http;

        Client(int port, Path dataDir) {
            this.port = port;
            this.http = HttpClient.newBuilder().sslContext(TestHttps.trusting(dataDir.resolve("tls/dev-certificate.pem")))
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        HttpRequest.Builder request(String path, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
            return headers.length == 0 ? request : request.headers(headers);
        }

        HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Creates an API key holding audit.read; returns the 201 body, or throws (not acknowledged). */
        String createKey(String[] admin, String name) {
            HttpResponse<String> response = send(request("/api/v1/api-keys", admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"permissions\":[\"audit.read\"],\"expiresInDays\":30}")));
            if (response.statusCode() != 201) {
                throw new IllegalStateException("create answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }

        HttpResponse<String> approve(String[] officer, String keyId) {
            return send(request("/api/v1/api-keys/" + keyId + "/approve", officer).POST(HttpRequest.BodyPublishers.noBody()));
        }
    }
}
