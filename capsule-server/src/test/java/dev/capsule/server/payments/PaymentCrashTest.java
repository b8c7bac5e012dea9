package dev.capsule.server.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.CapsuleCli;
import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HttpSignatureException;
import dev.capsule.core.httpsig.HttpSigningKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.internal.LedgerConsole;
import dev.capsule.server.payments.internal.intents.LedgerMapping;
import dev.capsule.server.platform.internal.EmbeddedCluster;
import dev.capsule.testing.server.ServerProcess;
import dev.capsule.testing.server.ServerProcessMain;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.payments.PaymentServerProcessMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The crash proof: a real server process on real HTTPS takes signed wallet confirmations (RFC 9421 signature,
 * nonce, {@code Idempotency-Key}, ledger, audit) from several clients; first the server's JVM, then (after a restart)
 * its PostgreSQL postmaster is killed with SIGKILL mid-load; after each restart on the same data directory: every
 * confirmation answered 200 {@code succeeded} is {@code succeeded}; every confirmation that got no answer, retried with
 * its {@code Idempotency-Key}, ends {@code succeeded} (the crash left both the charge and its stored answer, or neither);
 * no intent has more than one charge (one payment transfer, one ledger transfer, only for succeeded intents); each wallet
 * holds exactly its credit minus its succeeded payments and the merchant exactly their sum; {@code capsule ledger
 * verify} passes; the audit log verifies ({@code capsule audit verify --url}).
 */
class PaymentCrashTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Intents bound to a payer on the first start: enough for two loads and the confirmations in flight at each kill. */
    private static final int INTENTS = 100;
    /** Acknowledged confirmations to wait for in each load before the kill: enough to be mid-load. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 12;
    private static final int CLIENTS = 3;
    private static final Duration LOAD_MAX = Duration.ofSeconds(90);

    /** One fixture intent: its id, the payer it is bound to, its amount. */
    private record Intent(String id, String payer, long amount) {
    }

    /** What the clients saw: confirmations sent (with their idempotency key) and those answered 200 succeeded. */
    private static final class Load {
        final Map<String, String> sentKeys = new ConcurrentHashMap<>();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    }

    @Test
    void acknowledgedPaymentsSurviveSigkillOfTheServerAndOfItsPostgresAndNoneIsChargedTwice() throws Exception {
        Path root = TestDirectories.create("capsule-payment-crash");
        Path dataDir = root.resolve("data");
        Path operatorsFile = root.resolve("operators.properties");
        Path paymentsFile = root.resolve("payments.properties");
        List<String> properties = List.of("-D" + ServerProcessMain.FIXTURES_PROPERTY + "=" + operatorsFile,
                "-D" + PaymentServerProcessMain.PAYMENTS_PROPERTY + "=" + paymentsFile,
                "-D" + PaymentServerProcessMain.INTENTS_PROPERTY + "=" + INTENTS);
        String[] serve = {"--data-dir", dataDir.toString(), "--port", "0"};
        Load load = new Load();
        Properties operators = new Properties();
        Properties payments = new Properties();
        ConcurrentLinkedQueue<Intent> unpaid = new ConcurrentLinkedQueue<>();
        Path auditorKeyFile = root.resolve("auditor-key");

        // 1. SIGKILL of the server's JVM during the load.
        try (ServerProcess first = launch(root, "first", properties, serve)) {
            int port = first.awaitReady();
            load(operatorsFile, first, operators);
            load(paymentsFile, first, payments);
            Client client = new Client(port, dataDir, payments);
            unpaid.addAll(intents(payments));
            Files.writeString(auditorKeyFile, client.auditorKey(operators));
            drive(client, unpaid, load, first::kill);
        }
        assertThat(load.acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        // 2. Restart, check, then SIGKILL of its PostgreSQL postmaster (and its backends) during the next load.
        try (ServerProcess second = launch(root, "second", properties, serve)) {
            Client client = new Client(second.awaitReady(), dataDir, payments);
            assertRecovered(client, load, payments, dataDir, operators, auditorKeyFile);
            int before = load.acknowledged.size();
            drive(client, unpaid, load, () -> killPostgres(dataDir));
            assertThat(load.acknowledged.size() - before).as("acknowledged in the second load").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            // Its database is gone: the server is stopped the hard way too.
            second.kill();
        }

        // 3. Restart on the recovered database: the same checks.
        try (ServerProcess third = launch(root, "third", properties, serve)) {
            Client client = new Client(third.awaitReady(), dataDir, payments);
            assertRecovered(client, load, payments, dataDir, operators, auditorKeyFile);
        }
    }

    private static ServerProcess launch(Path root, String name, List<String> properties, String[] serve) {
        return ServerProcess.launch(PaymentServerProcessMain.class, root.resolve(name + ".log"), properties, serve);
    }

    /**
     * {@link #CLIENTS} clients confirm unpaid intents until {@link #ACKNOWLEDGED_BEFORE_KILL} more were acknowledged,
     * then {@code kill} runs while they are still sending.
     */
    private static void drive(Client client, ConcurrentLinkedQueue<Intent> unpaid, Load load, Kill kill) throws Exception {
        int target = load.acknowledged.size() + ACKNOWLEDGED_BEFORE_KILL;
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofPlatform().name("payment-client-" + c).start(() -> {
                Intent intent;
                while (!stop.get() && (intent = unpaid.poll()) != null) {
                    String key = UUID.randomUUID().toString();
                    load.sentKeys.put(intent.id(), key);
                    try {
                        HttpResponse<String> response = client.confirm(intent.id(), key);
                        if (response.statusCode() == 200 && "succeeded".equals(JSON.readTree(response.body()).get("status").asString())) {
                            load.acknowledged.add(intent.id());
                        }
                    } catch (UncheckedIOException e) {
                        // The server (or its database) died under this request: not acknowledged, nothing expected of it yet.
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + LOAD_MAX.toNanos();
        while (load.acknowledged.size() < target && System.nanoTime() < deadline && !unpaid.isEmpty()) {
            Thread.sleep(10);
        }
        assertThat(load.acknowledged).as("acknowledged confirmations before the kill").hasSizeGreaterThanOrEqualTo(target);
        assertThat(unpaid).as("unpaid intents left at the kill: the kill must come mid-load").isNotEmpty();
        kill.run();
        stop.set(true);
        for (Thread thread : clients) {
            thread.join();
        }
    }

    @FunctionalInterface
    private interface Kill {
        void run() throws Exception;
    }

    private static void assertRecovered(Client client, Load load, Properties payments, Path dataDir, Properties operators,
            Path auditorKeyFile) throws Exception {
        // Every acknowledged payment is still paid.
        for (String id : Set.copyOf(load.acknowledged)) {
            HttpResponse<String> intent = client.get("/merchant/v1/payment-intents/" + id);
            assertThat(intent.statusCode()).as("intent %s: %s", id, intent.body()).isEqualTo(200);
            assertThat(JSON.readTree(intent.body()).get("status").asString()).as("acknowledged intent %s after the crash", id)
                    .isEqualTo("succeeded");
        }
        // Every confirmation that got no answer, retried with its key: the stored answer or one new run, never a 409.
        for (Map.Entry<String, String> sent : Map.copyOf(load.sentKeys).entrySet()) {
            if (load.acknowledged.contains(sent.getKey())) {
                continue;
            }
            HttpResponse<String> retry = client.confirm(sent.getKey(), sent.getValue());
            assertThat(retry.statusCode()).as("retry of %s: %s", sent.getKey(), retry.body()).isEqualTo(200);
            assertThat(JSON.readTree(retry.body()).get("status").asString()).isEqualTo("succeeded");
            load.acknowledged.add(sent.getKey());
        }
        // A new confirmation of a paid intent charges nothing.
        String paid = load.acknowledged.iterator().next();
        HttpResponse<String> again = client.confirm(paid, UUID.randomUUID().toString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("type").asString()).endsWith("/payment-intent-unexpected-state");

        assertChargedOnce(dataDir, payments, load.acknowledged);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int ledger = LedgerConsole.run(new String[] {"verify", "--data-dir", dataDir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(ledger).as("capsule ledger verify: %s %s", out, err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ledger verified").contains(" 0 problems");

        Path trust = auditorKeyFile.resolveSibling("audit.pub");
        Files.writeString(trust, operators.getProperty("auditKey"));
        StringWriter auditOut;
        StringWriter auditErr;
        int audit;
        // A restarted server signs its first checkpoint within seconds (every 10 s): until then there is nothing to verify.
        long checkpointDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            auditOut = new StringWriter();
            auditErr = new StringWriter();
            audit = CapsuleCli.run(new String[] {"audit", "verify", "--url", "https://localhost:" + client.port, "--trust", trust.toString(),
                    "--api-key-file", auditorKeyFile.toString(), "--tls-fingerprint", operators.getProperty("tlsFingerprint")},
                    new PrintWriter(auditOut, true), new PrintWriter(auditErr, true));
            if (audit == 0 || !(auditOut + auditErr.toString()).contains("no checkpoint yet") || System.nanoTime() > checkpointDeadline) {
                break;
            }
            Thread.sleep(1000);
        } while (true);
        assertThat(audit).as(auditOut + "\n" + auditErr).isZero();
        assertThat(auditOut.toString()).contains("verified");
    }

    /**
     * On the server's own database: a succeeded intent has exactly one payment transfer and one ledger transfer, any
     * other none; each wallet is its credit minus its payer's succeeded intents; the merchant holds their sum; every
     * acknowledged intent is among the succeeded ones.
     */
    private static void assertChargedOnce(Path dataDir, Properties payments, Set<String> acknowledged) throws SQLException {
        EmbeddedCluster.Running running = new EmbeddedCluster(dataDir.resolve("postgres")).running().orElseThrow();
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", running.password());
        String currency = payments.getProperty("currency");
        Map<String, Long> paidByPayer = new HashMap<>();
        long paidToMerchant = 0;
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + running.port() + "/capsule", login)) {
            for (Intent intent : intents(payments)) {
                String status = single(db, "SELECT status FROM payments_intent WHERE intent_id = ?", intent.id());
                long paymentTransfers = Long.parseLong(single(db, "SELECT count(*) FROM payments_intent_transfer WHERE intent_id = ?", intent.id()));
                long ledgerTransfers = Long.parseLong(single(db, "SELECT count(*) FROM ledger_transfers WHERE user_data = ?", intent.id()));
                boolean succeeded = status.equals("succeeded");
                assertThat(status).as("intent %s", intent.id()).isIn("succeeded", "requires_confirmation");
                assertThat(paymentTransfers).as("payment transfers of %s (%s)", intent.id(), status).isEqualTo(succeeded ? 1 : 0);
                assertThat(ledgerTransfers).as("ledger transfers of %s (%s)", intent.id(), status).isEqualTo(succeeded ? 1 : 0);
                if (acknowledged.contains(intent.id())) {
                    assertThat(status).as("acknowledged intent %s", intent.id()).isEqualTo("succeeded");
                }
                if (succeeded) {
                    paidByPayer.merge(intent.payer(), intent.amount(), Long::sum);
                    paidToMerchant += intent.amount();
                }
            }
            for (int p = 0; p < PaymentServerProcessMain.PAYERS; p++) {
                String[] payer = payments.getProperty("payer." + p).split(" ");
                long credited = Long.parseLong(payer[1]);
                AccountId wallet = LedgerMapping.wallet(new PayerId(payer[0]), currency);
                assertThat(balance(db, wallet)).as("wallet of %s", payer[0]).isEqualTo(credited - paidByPayer.getOrDefault(payer[0], 0L));
            }
            AccountId merchant = LedgerMapping.merchant(new MerchantId(payments.getProperty("merchant")), currency);
            assertThat(balance(db, merchant)).as("merchant balance").isEqualTo(paidToMerchant);
        }
    }

    private static long balance(Connection db, AccountId account) throws SQLException {
        return Long.parseLong(single(db, "SELECT credits_posted - debits_posted FROM ledger_balances WHERE id = ?::uuid",
                account.value().toString()));
    }

    private static String single(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("%s with %s", sql, parameter).isTrue();
                return rows.getString(1);
            }
        }
    }

    private static List<Intent> intents(Properties payments) {
        List<Intent> intents = new ArrayList<>();
        int count = Integer.parseInt(payments.getProperty("intents"));
        for (int i = 0; i < count; i++) {
            String[] fields = payments.getProperty("intent." + i).split(" ");
            intents.add(new Intent(fields[0], fields[1], Long.parseLong(fields[2])));
        }
        return intents;
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

    private static void load(Path file, ServerProcess process, Properties into) throws Exception {
        long deadline = System.nanoTime() + ServerProcess.START_MAX.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("fixtures of the server process:\n%s", process.output()).isLessThan(deadline);
            Thread.sleep(100);
        }
        try (Reader in = Files.newBufferedReader(file)) {
            into.load(in);
        }
    }

    /** The merchant's backend (every request signed with its Ed25519 key) and an operator, over HTTPS to the process. */
    private static final class Client {
        private final int port;
        private final HttpClient http;
        private final String keyId;
        private final HttpSigningKey key;

        Client(int port, Path dataDir, Properties payments) throws KeyFormatException {
            this.port = port;
            this.http = HttpClient.newBuilder().sslContext(TestHttps.trusting(dataDir.resolve("tls/dev-certificate.pem")))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            this.keyId = payments.getProperty("keyId");
            this.key = new Ed25519HttpKey.Signing(SigningKey.fromSeed(java.util.Base64.getDecoder().decode(payments.getProperty("keySeed"))));
        }

        HttpResponse<String> confirm(String intent, String idempotencyKey) {
            return send(signed("POST", "/merchant/v1/payment-intents/" + intent + "/confirm", "{\"paymentMethod\":\"wallet\"}")
                    .header("Idempotency-Key", idempotencyKey));
        }

        HttpResponse<String> get(String path) {
            return send(signed("GET", path, null));
        }

        /** RFC 9421 over method, target URI and (with content) its digest and type; a new nonce each time. */
        private HttpRequest.Builder signed(String method, String path, String content) {
            URI uri = URI.create("https://localhost:" + port + path);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            List<String> covered = new ArrayList<>(List.of("@method", "@target-uri"));
            if (content != null) {
                fields.put("Content-Type", List.of("application/json"));
                fields.put("Content-Digest", List.of(ContentDigest.sha256(content.getBytes(StandardCharsets.UTF_8))));
                covered.add("content-digest");
                covered.add("content-type");
            }
            Instant now = Instant.now();
            try {
                MessageSignatures.Headers signature = MessageSignatures.sign(new SignedRequest(method, uri, fields), "sig1",
                        SignatureParameters.of(covered, now, now.plusSeconds(120), UUID.randomUUID().toString(), null, keyId), key);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .method(method, content == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                        .header(MessageSignatures.SIGNATURE_INPUT, signature.signatureInput())
                        .header(MessageSignatures.SIGNATURE, signature.signature());
                fields.forEach((name, values) -> request.header(name, values.getFirst()));
                return request;
            } catch (HttpSignatureException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An approved API key holding audit.read (created by the admin, approved by the officer), for the audit verifier. */
        String auditorKey(Properties operators) {
            String[] admin = operators.getProperty("admin").split("\t");
            String[] officer = operators.getProperty("officer").split("\t");
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/api-keys"))
                    .headers(admin).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"payment crash auditor\",\"permissions\":[\"audit.read\"],\"expiresInDays\":30}")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode body = JSON.readTree(created.body());
            HttpResponse<String> approved = send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/api-keys/"
                    + body.get("key").get("keyId").asString() + "/approve")).headers(officer).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            return body.get("token").asString();
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
