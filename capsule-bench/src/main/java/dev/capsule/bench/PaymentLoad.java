package dev.capsule.bench;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HttpSigningKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.CapsuleServer;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.intents.PaymentIntent;
import dev.capsule.server.payments.internal.intents.PaymentIntents;
import dev.capsule.server.platform.internal.EmbeddedCluster;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.server.registry.MiniProgramId;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payment confirmations end to end beside {@code pgbench} on the same PostgreSQL (docs/benchmarks.md, "Payments:
 * confirmations beside pgbench"). Starts the real server in this JVM as {@code capsule serve} does (embedded PostgreSQL
 * with its durable defaults, HTTPS with the development certificate), sets up one merchant with an Ed25519 key, funded
 * wallets and {@code --intents} wallet intents each bound to its payer by the payment sheet (what a payer's
 * {@code wx.requestPayment} does), signs a confirmation of each as the merchant's backend would, then has {@code wrk}
 * ({@code /usr/bin/wrk}) send them from {@code --clients} keep-alive HTTPS connections for {@code --seconds} after
 * {@code --warm-up} seconds: RFC 9421 signature and nonce, {@code Idempotency-Key}, the row lock,
 * the ledger transfer, the transition, the audit entry and the webhook message in one transaction. Then {@code pgbench}
 * (TPC-B-like, {@code /usr/bin/pgbench}) initialised in a database of its own on the same postmaster and run with the
 * same client count and duration. Prints transactions per second, p50 and p99 of both, the ratio, the database work
 * per confirmation and the machine.
 *
 * <p>Not JMH and not run by the build: run by hand from the repository root (docs/benchmarks.md gives the command).
 * The setup writes the merchant's rows as registration stores them (the registry's organisation check is not what is
 * measured) and credits wallets and opens sheets through the payments services.
 */
public final class PaymentLoad {
    static final int CLIENTS_MAX = 256;
    static final int SECONDS_MAX = 3_600;
    static final int INTENTS_MAX = 1_000_000;
    static final int PAYERS = 64;
    static final String CURRENCY = "CNY";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PGBENCH = "/usr/bin/pgbench";
    /** The clients: Debian's {@code wrk} (apt-get install wrk), which replays the signed requests over keep-alive HTTPS. */
    private static final String WRK = "/usr/bin/wrk";
    /** A confirmation's signature window, {@code expires - created} (the server accepts at most 300 s). */
    static final int SIGNATURE_WINDOW_SECONDS = 300;
    /**
     * Most seconds of warm-up and measurement together: every request is signed before the warm-up, and the server
     * refuses one whose {@code expires} lies more than its 300 s of clock skew behind it (docs/payments.md).
     */
    static final int SIGNED_SECONDS_MAX = 480;

    private record Options(int clients, int seconds, int warmUp, int intents, Path dataDir) {
        static Options parse(String[] args) throws IOException {
            int clients = 8;
            int seconds = 30;
            int warmUp = 10;
            int intents = 0;
            Path dataDir = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--clients" -> clients = bounded("--clients", value, 1, CLIENTS_MAX);
                    case "--seconds" -> seconds = bounded("--seconds", value, 1, SECONDS_MAX);
                    case "--warm-up" -> warmUp = bounded("--warm-up", value, 0, SECONDS_MAX);
                    case "--intents" -> intents = bounded("--intents", value, 1, INTENTS_MAX);
                    case "--data-dir" -> dataDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --clients N --seconds N --warm-up N --intents N --data-dir DIR");
                }
                i++;
            }
            if (warmUp + seconds > SIGNED_SECONDS_MAX) {
                throw new IllegalArgumentException("--warm-up and --seconds together are at most " + SIGNED_SECONDS_MAX
                        + " (the requests are signed before the run and must not expire during it)");
            }
            // Enough intents for 1,500 confirmations a second over the whole run, unless told.
            int needed = intents > 0 ? intents : Math.min(INTENTS_MAX, 1_500 * (seconds + warmUp));
            return new Options(clients, seconds, warmUp, needed, dataDir != null ? dataDir : Files.createTempDirectory("capsule-payment-load"));
        }

        private static int bounded(String name, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
    }

    private record Intent(String id) {
    }

    /** What one phase measured: completed transactions, the measured seconds, the median and 99th percentile latency, failures. */
    record Result(long transactions, double seconds, double p50Millis, double p99Millis, long failures) {
        double tps() {
            return transactions / seconds;
        }

        /** From every latency, in nanoseconds. */
        static Result of(long transactions, double seconds, long[] latencies, long failures) {
            return new Result(transactions, seconds, percentileMillis(latencies, 50), percentileMillis(latencies, 99), failures);
        }

        private static double percentileMillis(long[] latencies, double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    private PaymentLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("payment-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isExecutable(Path.of(WRK))) {
            System.err.println("payment-load: " + WRK + " is missing (Debian: apt-get install wrk)");
            System.exit(2);
            return;
        }
        if (!Files.isExecutable(Path.of(PGBENCH))) {
            System.err.println("payment-load: " + PGBENCH + " is missing (Debian: apt-get install postgresql-client)");
            System.exit(2);
            return;
        }
        String command = "PaymentLoad " + String.join(" ", args);
        double loadAtStart = load();
        List<String> serve = new ArrayList<>(List.of(((ServeOptions.Valid) ServeOptions.parse(
                new String[] {"--data-dir", options.dataDir().toString(), "--port", "0"})).springArguments()));
        // Every client is the one merchant at one address: lift its bucket (docs/api-keys.md, 6,000 requests a minute by
        // default) to the maximum, or the run measures the limiter; and the address's, for servers before per-merchant
        // limits (run against an older commit's classes to compare).
        serve.add("--capsule.rate-limit.caller-burst-requests=100000");
        serve.add("--capsule.rate-limit.caller-refill-per-minute=600000");
        serve.add("--capsule.rate-limit.address-burst-requests=100000");
        serve.add("--capsule.rate-limit.address-refill-per-minute=600000");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CapsuleServer.class).run(serve.toArray(String[]::new))) {
            int port = context.getBean(ServerPorts.class).https();
            long setupStart = System.nanoTime();
            Merchant merchant = setUp(context, options);
            System.out.printf(Locale.ROOT, "setup: %d intents bound to %d payers in %.1f s%n", merchant.intents().size(), PAYERS,
                    (System.nanoTime() - setupStart) / 1e9);

            EmbeddedCluster.Running database = new EmbeddedCluster(options.dataDir().resolve("postgres")).running().orElseThrow();
            Map<String, Long> before = databaseWork(database, "capsule");
            Measured measured = new Measured();
            Result payments = confirmations(port, merchant, options, measured, () -> connect(database, "capsule"));
            Map<String, Long> after = databaseWork(database, "capsule");
            double loadAfterPayments = load();

            Measured pgbenchMeasured = new Measured();
            Result pgbench = pgbench(database, options, pgbenchMeasured);
            double loadAtEnd = load();

            System.out.println();
            System.out.println("command: java ... dev.capsule.bench." + command);
            System.out.printf(Locale.ROOT, "machine: %d cpus, Linux %s, %s %s; load average %.1f at start, %.1f after the payments, %.1f at the end%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), System.getProperty("java.vm.name"),
                    System.getProperty("java.runtime.version"), loadAtStart, loadAfterPayments, loadAtEnd);
            System.out.printf(Locale.ROOT, "clients %d, %d s measured after %d s warm-up, same PostgreSQL (embedded, port %d)%n",
                    options.clients(), options.seconds(), options.warmUp(), database.port());
            print("payment confirmations", payments);
            print("pgbench (TPC-B-like)", pgbench);
            System.out.printf(Locale.ROOT, "ratio confirmations / pgbench: %.2f (target >= 0.3); confirmation p99 %.1f ms (target <= 50 ms)%n",
                    payments.tps() / pgbench.tps(), payments.p99Millis());
            long confirmed = Math.max(1, after.get("counted") - before.get("counted"));
            System.out.printf(Locale.ROOT, "database work per confirmation (pg_stat_database and pg_stat_wal of the capsule database, all of it"
                            + " while the payments ran, background jobs included): %.2f commits, %.2f rollbacks, %.1f rows inserted, %.1f updated,"
                            + " %.1f deleted, %.1f fetched, %.1f WAL records, %.0f WAL bytes%n",
                    per(before, after, "xact_commit", confirmed), per(before, after, "xact_rollback", confirmed),
                    per(before, after, "tup_inserted", confirmed), per(before, after, "tup_updated", confirmed),
                    per(before, after, "tup_deleted", confirmed), per(before, after, "tup_fetched", confirmed),
                    per(before, after, "wal_records", confirmed), per(before, after, "wal_bytes", confirmed));
            System.out.printf(Locale.ROOT, "CPU per confirmation: %.2f ms in the JVM (the server; wrk's clients not counted), %.2f ms in PostgreSQL;"
                            + " per pgbench transaction: %.2f ms in PostgreSQL (its client not counted)%n",
                    measured.cpu.jvmMillis() / payments.transactions(), measured.cpu.postgresMillis() / payments.transactions(),
                    pgbenchMeasured.cpu.postgresMillis() / pgbench.transactions());
            System.out.println("PostgreSQL during the confirmations: " + measured.waits);
            System.out.println("PostgreSQL during pgbench: " + pgbenchMeasured.waits);
        }
    }

    private static void print(String what, Result result) {
        System.out.printf(Locale.ROOT, "%-22s %8.1f tps  p50 %7.2f ms  p99 %7.2f ms  (%d transactions in %.1f s, %d failed)%n", what,
                result.tps(), result.p50Millis(), result.p99Millis(), result.transactions(), result.seconds(), result.failures());
    }

    private static double per(Map<String, Long> before, Map<String, Long> after, String key, long confirmed) {
        return (after.get(key) - before.get(key)) / (double) confirmed;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    // ---- setup

    private record Merchant(MerchantId id, MerchantKeyId keyId, HttpSigningKey key, ConcurrentLinkedQueue<Intent> intents) {
    }

    /**
     * One merchant of one mini-program with an Ed25519 key (its rows as registration writes them), {@link #PAYERS}
     * payers with credited wallets, and the intents, each bound to its payer by opening the payment sheet.
     */
    private static Merchant setUp(ConfigurableApplicationContext context, Options options) throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        PaymentIntents intents = context.getBean(PaymentIntents.class);
        PaymentSheets sheets = context.getBean(PaymentSheets.class);
        MiniProgramId app = MiniProgramId.of("com.example.loadshop");
        MerchantId merchant = MerchantId.random();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("INSERT INTO payments_merchant (merchant_id, organisation_id, verified_name, enabled, created_by, created_at) "
                        + "VALUES (:id, :org, 'Load Shop', true, 'operator:payment-load', :now)")
                .param("id", merchant.value()).param("org", UUID.randomUUID()).param("now", now).update();
        jdbc.sql("INSERT INTO payments_merchant_app (app_id, merchant_id) VALUES (:app, :id)")
                .param("app", app.value()).param("id", merchant.value()).update();
        SigningKey signing = SigningKey.generate();
        MerchantKeyId keyId = MerchantKeyId.random();
        jdbc.sql("INSERT INTO payments_merchant_key (key_id, merchant_id, algorithm, public_key, added_by, added_at) "
                        + "VALUES (:key, :id, 'ed25519', :pub, 'operator:payment-load', :now)")
                .param("key", keyId.value()).param("id", merchant.value()).param("pub", signing.publicKey().raw()).param("now", now).update();

        List<Payer> payers = new ArrayList<>();
        for (int p = 0; p < PAYERS; p++) {
            Payer payer = new Payer(new PayerId("load-user-" + p), "pw-load-" + p);
            intents.credit(payer.id(), 1_000_000_000L, CURRENCY, "operator:payment-load");
            payers.add(payer);
        }
        ConcurrentLinkedQueue<Intent> bound = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(8, options.clients()); w++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i; (i = next.getAndIncrement()) < options.intents(); ) {
                    Payer payer = payers.get(i % PAYERS);
                    PaymentIntent intent = intents.create(merchant, new PaymentIntents.NewIntent(100 + i % 900, CURRENCY, app, "Load order " + i,
                            Optional.of(payer.appUserId()), PaymentIntent.CaptureMethod.AUTOMATIC, Optional.of("wallet"), Map.of(),
                            Duration.ofHours(1)));
                    PaymentSheets.Prepared prepared = sheets.prepare(app, payer, paySigned(signing, app, intent));
                    if (!(prepared instanceof PaymentSheets.Prepared.Ready)) {
                        throw new IllegalStateException("the sheet did not open for " + intent.id() + ": " + prepared);
                    }
                    bound.add(new Intent(intent.id().value()));
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (bound.size() != options.intents()) {
            throw new IllegalStateException("setup bound " + bound.size() + " of " + options.intents() + " intents (see the log)");
        }
        return new Merchant(merchant, keyId, new Ed25519HttpKey.Signing(signing), bound);
    }

    /** The mini-program's {@code wx.requestPayment} request, signed as the merchant's backend signs it. */
    private static PaymentSheet.Request paySigned(SigningKey key, MiniProgramId app, PaymentIntent intent) {
        String timeStamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "n" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        String pkg = "prepay_id=" + intent.prepay().value();
        byte[] message = (app.value() + "\n" + timeStamp + "\n" + nonce + "\n" + pkg + "\n").getBytes(StandardCharsets.UTF_8);
        return new PaymentSheet.Request(timeStamp, nonce, pkg, "ED25519", Base64.getEncoder().encodeToString(key.sign(message)));
    }

    // ---- the payment load

    /** What {@link RunProbe} saw over a measured phase. */
    private static final class Measured {
        RunProbe.Cpu cpu = new RunProbe.Cpu(0, 0);
        String waits = "not sampled";
    }

    interface Connector {
        Connection connect() throws SQLException;
    }

    /**
     * Signs every confirmation first (each its own nonce and {@code Idempotency-Key}, valid {@link #SIGNED_SECONDS_MAX}
     * s), so the clients are {@code wrk}, a C program like pgbench's client, and the JVM's CPU is the server's alone:
     * a warm-up run, then the measured one with {@link RunProbe} over its window. Each request is sent once.
     */
    private static Result confirmations(int port, Merchant merchant, Options options, Measured measured, Connector connector)
            throws Exception {
        List<Intent> all = new ArrayList<>(merchant.intents());
        int warmUpShare = (int) ((long) all.size() * options.warmUp() / (options.warmUp() + options.seconds()));
        Path work = Files.createTempDirectory("capsule-payment-wrk");
        Path script = work.resolve("confirm.lua");
        try (InputStream in = PaymentLoad.class.getResourceAsStream("payment-load.lua")) {
            Files.copy(Objects.requireNonNull(in, "payment-load.lua"), script);
        }
        Path warmUpRequests = signed(work.resolve("warm-up.requests"), port, merchant, all.subList(0, warmUpShare));
        Path measuredRequests = signed(work.resolve("measured.requests"), port, merchant, all.subList(warmUpShare, all.size()));
        if (options.warmUp() > 0) {
            wrk(port, options, options.warmUp(), script, warmUpRequests);
        }
        Path data = options.dataDir().resolve("postgres");
        RunProbe.Cpu before = RunProbe.cpu(data);
        Wrk run;
        try (RunProbe.Waits waits = new RunProbe.Waits(connector.connect(), "capsule")) {
            run = wrk(port, options, options.seconds(), script, measuredRequests);
            measured.cpu = RunProbe.cpu(data).minus(before);
            measured.waits = waits.report();
        }
        if (run.exhausted() > 0) {
            System.err.println("payment-load: the intents ran out before the end; run again with more --intents");
        }
        return new Result(run.ok(), run.seconds(), run.p50Millis(), run.p99Millis(), run.failed());
    }

    /** What the script's {@code done} printed. */
    private record Wrk(long ok, long failed, long exhausted, double seconds, double p50Millis, double p99Millis) {
    }

    private static final Pattern WRK_RESULT = Pattern.compile(
            "capsule-load ok=(\\d+) failed=(\\d+) exhausted=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+)");

    private static Wrk wrk(int port, Options options, int seconds, Path script, Path requests) throws Exception {
        int threads = Math.min(options.clients(), 2);
        List<String> command = List.of(WRK, "-t", Integer.toString(threads), "-c", Integer.toString(options.clients()),
                "-d", seconds + "s", "--timeout", "60s", "-s", script.toString(), "https://localhost:" + port + "/",
                requests.toString(), Integer.toString(threads));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher result = WRK_RESULT.matcher(output);
        if (process.waitFor() != 0 || !result.find()) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        output.lines().filter(line -> line.startsWith("confirmation answered")).limit(3).forEach(System.err::println);
        return new Wrk(Long.parseLong(result.group(1)), Long.parseLong(result.group(2)), Long.parseLong(result.group(3)),
                Long.parseLong(result.group(4)) / 1e6, Long.parseLong(result.group(5)) / 1e3, Long.parseLong(result.group(6)) / 1e3);
    }

    /** Writes the intents' confirmations as raw HTTP/1.1 requests, each ended by a NUL byte (the script splits on it). */
    private static Path signed(Path file, int port, Merchant merchant, List<Intent> intents) throws IOException {
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            for (Intent intent : intents) {
                out.write(confirm(port, merchant, intent));
                out.write(0);
            }
        }
        return file;
    }

    /** One confirmation as the merchant's backend sends it: RFC 9421 signed (a new nonce), with a new Idempotency-Key. */
    private static byte[] confirm(int port, Merchant merchant, Intent intent) {
        String path = "/merchant/v1/payment-intents/" + intent.id() + "/confirm";
        URI uri = URI.create("https://localhost:" + port + path);
        byte[] content = "{\"paymentMethod\":\"wallet\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("Content-Type", List.of("application/json"));
        fields.put("Content-Digest", List.of(ContentDigest.sha256(content)));
        Instant now = Instant.now();
        try {
            MessageSignatures.Headers signature = MessageSignatures.sign(new SignedRequest("POST", uri, fields), MessageSignatures.DEFAULT_LABEL,
                    SignatureParameters.of(List.of("@method", "@target-uri", "content-digest", "content-type"), now,
                            now.plusSeconds(SIGNATURE_WINDOW_SECONDS), UUID.randomUUID().toString(), merchant.key().algorithm(),
                            merchant.keyId().value()), merchant.key());
            StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n");
            fields.forEach((name, values) -> request.append(name).append(": ").append(values.getFirst()).append("\r\n"));
            request.append("Idempotency-Key: ").append(UUID.randomUUID()).append("\r\n")
                    .append(MessageSignatures.SIGNATURE_INPUT).append(": ").append(signature.signatureInput()).append("\r\n")
                    .append(MessageSignatures.SIGNATURE).append(": ").append(signature.signature()).append("\r\n")
                    .append("Content-Length: ").append(content.length).append("\r\n\r\n")
                    .append(new String(content, StandardCharsets.UTF_8));
            return request.toString().getBytes(StandardCharsets.UTF_8);
        } catch (dev.capsule.core.httpsig.HttpSignatureException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- pgbench

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    /** pgbench -i in a database of its own (scale = clients, as TPC-B wants a branch per client), then the run with per-transaction logs. */
    private static Result pgbench(EmbeddedCluster.Running database, Options options, Measured measured) throws Exception {
        try (Connection connection = connect(database, "capsule"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS pgbench");
            statement.execute("CREATE DATABASE pgbench");
        }
        Path logs = Files.createTempDirectory("capsule-pgbench");
        run(logs, database, List.of(PGBENCH, "-i", "-q", "-s", Integer.toString(options.clients())));
        run(logs, database, List.of(PGBENCH, "-c", Integer.toString(options.clients()), "-j", Integer.toString(Math.min(options.clients(), 2)),
                "-T", Integer.toString(options.warmUp()), "-n"));
        Path data = options.dataDir().resolve("postgres");
        RunProbe.Cpu before = RunProbe.cpu(data);
        String output;
        try (RunProbe.Waits waits = new RunProbe.Waits(connect(database, "pgbench"), "pgbench")) {
            output = run(logs, database, List.of(PGBENCH, "-c", Integer.toString(options.clients()),
                    "-j", Integer.toString(Math.min(options.clients(), 2)), "-T", Integer.toString(options.seconds()), "-n", "-l",
                    "--log-prefix=" + logs.resolve("tx")));
            measured.cpu = RunProbe.cpu(data).minus(before);
            measured.waits = waits.report();
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        List<Long> latencies = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("tx")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    // client_id transaction_no time_us script_no time_epoch time_us_part
                    latencies.add(Long.parseLong(line.split(" ")[2]) * 1000);
                }
            }
        }
        long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
        double rate = Double.parseDouble(tps.group(1));
        return Result.of(all.length, all.length / rate, all, 0);
    }

    private static String run(Path directory, EmbeddedCluster.Running database, List<String> pgbench) throws Exception {
        List<String> command = new ArrayList<>(pgbench);
        command.addAll(List.of("-h", "localhost", "-p", Integer.toString(database.port()), "-U", "postgres", "pgbench"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", database.password());
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", pgbench) + " failed:\n" + output);
        }
        return output;
    }

    // ---- database counters

    private static Map<String, Long> databaseWork(EmbeddedCluster.Running database, String name) throws SQLException {
        Map<String, Long> work = new LinkedHashMap<>();
        try (Connection connection = connect(database, name); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rows = statement.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched "
                    + "FROM pg_stat_database WHERE datname = current_database()")) {
                rows.next();
                for (String column : List.of("xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted", "tup_fetched")) {
                    work.put(column, rows.getLong(column));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT wal_records, wal_bytes FROM pg_stat_wal")) {
                rows.next();
                work.put("wal_records", rows.getLong(1));
                work.put("wal_bytes", rows.getLong(2));
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM payments_intent WHERE status = 'succeeded'")) {
                rows.next();
                work.put("counted", rows.getLong(1));
            }
        }
        return work;
    }

    private static Connection connect(EmbeddedCluster.Running database, String name) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", database.password());
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + database.port() + "/" + name, login);
    }
}
