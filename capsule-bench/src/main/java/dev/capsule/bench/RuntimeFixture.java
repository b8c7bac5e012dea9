package dev.capsule.bench;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.StorageLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@link RuntimeBenchmark} runs on: one {@link CapsuleRuntime} as a host would hold it (one
 * shared GraalJS engine, default limits and host services, in-memory encrypted storage, the guarded
 * HTTP client), signed packages, and event sinks that signal completion without blocking the session.
 */
final class RuntimeFixture implements AutoCloseable {
    /** Every benchmark launches as this user: one storage area, as for a returning user. */
    static final String USER = "bench-user";
    /** How long any wait may take before the benchmark fails instead of hanging. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The page the bridge and event benchmarks drive; its handlers are the measured code. */
    static final String BENCH_PAGE = "pages/bench/bench";
    /** The stored value: a short string, so the measured cost is the bridge, not JSON of a big value. */
    static final String STORED_VALUE = "hello";
    private static final String BENCH_PAGE_JS = """
            Page({
              data: { n: 0 },
              onLoad() {
                wx.setStorageSync('k', 'hello');
              },
              // Bridge cost: e.detail.calls synchronous wx calls, each checked.
              read(e) {
                const calls = e.detail.calls;
                let bad = 0;
                for (let i = 0; i < calls; i++) {
                  if (wx.getStorageSync('k') !== 'hello') bad++;
                }
                if (bad !== 0) throw new Error('getStorageSync returned a wrong value ' + bad + ' times');
              },
              // Event throughput: the smallest handler that changes page data.
              inc() {
                this.setData({ n: this.data.n + 1 });
              }
            });
            """;

    private final GuardedHttpClient http;
    final CapsuleRuntime runtime;

    RuntimeFixture() {
        this(Isolation.IN_PROCESS, WorkerLimits.DEFAULTS);
    }

    RuntimeFixture(Isolation isolation, WorkerLimits workerLimits) {
        http = GuardedHttpClient.create();
        runtime = new CapsuleRuntime(isolation, RuntimeLimits.DEFAULTS, HostServices.defaults(),
                EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS), http, workerLimits);
    }

    /** Verifies {@code app} (timed with the launch: a host verifies before every launch) and launches it. */
    MiniProgramSession launch(Signed app, EventSink sink) throws Exception {
        return runtime.launch(app.verify(), USER, sink);
    }

    @Override
    public void close() {
        runtime.close();
        http.close();
    }

    /** A signed package and the policy that trusts its (fresh, developer) key. */
    record Signed(byte[] bytes, TrustPolicy policy, String appId, String entryPage) {
        Verification.Verified verify() {
            Verification v = PackageVerifier.verify(bytes, policy);
            if (v instanceof Verification.Verified verified) {
                return verified;
            }
            throw new IllegalStateException("benchmark package does not verify: " + v);
        }
    }

    static Signed sign(byte[] unsigned) throws Exception {
        SigningKey key = SigningKey.generate();
        byte[] bytes = PackageSigner.sign(unsigned, key, Role.DEVELOPER);
        TrustPolicy policy = TrustPolicy.trustingForEveryAppId(List.of(key.publicKey()));
        Verification.Verified verified = new Signed(bytes, policy, null, null).verify();
        return new Signed(bytes, policy, verified.pkg().manifest().id(), verified.pkg().app().entryPage());
    }

    /**
     * The todo example as shipped (examples/todo), packed from disk. Found through the system property
     * {@code capsule.examples} (the examples directory) or, by default, {@code examples/} in the
     * working directory or one of its parents: run the jar from the repository.
     */
    static Signed todo() throws Exception {
        Path dir = examplesDir().resolve("todo");
        return sign(Packer.pack(dir));
    }

    private static Path examplesDir() {
        String configured = System.getProperty("capsule.examples");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/todo"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/todo not found from " + Path.of("").toAbsolutePath()
                + ": run from the repository or pass -Dcapsule.examples=<dir>");
    }

    /** A one-page app whose page has the {@code read} and {@code inc} handlers. */
    static Signed benchApp() throws Exception {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", utf8("""
                {"id":"com.example.bench","version":"1.0.0","name":"Bench","developer":{"id":"bench","name":"Bench Ltd"}}"""));
        files.put("app.json", utf8("{\"pages\":[\"" + BENCH_PAGE + "\"]}"));
        files.put("app.js", utf8("App({})"));
        files.put(BENCH_PAGE + ".js", utf8(BENCH_PAGE_JS));
        return sign(Packer.pack(files, PackageLimits.DEFAULTS));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Completes when the entry page reports its first data; fails on a violation, a script error or an exit. */
    static final class FirstData implements EventSink {
        private final String route;
        final CompletableFuture<String> data = new CompletableFuture<>();

        FirstData(String route) {
            this.route = route;
        }

        @Override
        public void accept(RuntimeEvent event) {
            switch (event) {
                case RuntimeEvent.Data d when d.route().equals(route) -> data.complete(d.json());
                case RuntimeEvent.Violation v -> data.completeExceptionally(new IllegalStateException("violation: " + v));
                case RuntimeEvent.Log l when l.level().equals("error") -> data.completeExceptionally(new IllegalStateException("error: " + l.text()));
                case RuntimeEvent.Exit x -> data.completeExceptionally(new IllegalStateException("exit before first data: " + x));
                default -> { }
            }
        }

        String await() throws InterruptedException, ExecutionException, TimeoutException {
            return data.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Counts what a long-lived session reports, on the session thread, as cheaply as possible: the
     * benchmark thread reads the counters after each operation. Keeps the first problem for the message.
     */
    static final class Counting implements EventSink {
        final AtomicInteger apiCalls = new AtomicInteger();
        final AtomicInteger dataEvents = new AtomicInteger();
        final AtomicReference<String> lastData = new AtomicReference<>();
        final AtomicReference<RuntimeEvent> problem = new AtomicReference<>();

        @Override
        public void accept(RuntimeEvent event) {
            switch (event) {
                case RuntimeEvent.Api a -> {
                    apiCalls.incrementAndGet();
                    if (!a.ok()) {
                        problem.compareAndSet(null, a);
                    }
                }
                case RuntimeEvent.Data d -> {
                    dataEvents.incrementAndGet();
                    lastData.set(d.json());
                }
                case RuntimeEvent.Violation v -> problem.compareAndSet(null, v);
                case RuntimeEvent.Exit x -> problem.compareAndSet(null, x);
                case RuntimeEvent.Log l when l.level().equals("error") || l.level().equals("warn") -> problem.compareAndSet(null, l);
                default -> { }
            }
        }

        void check() {
            RuntimeEvent p = problem.get();
            if (p != null) {
                throw new IllegalStateException("the benchmark session reported a problem: " + p);
            }
        }
    }

    /** Launches the bench app and waits until onLoad has run. */
    MiniProgramSession launchBenchApp(Signed app, Counting sink) throws Exception {
        MiniProgramSession session = runtime.launch(app.verify(), USER, sink);
        awaitIdle(session, sink);
        return session;
    }

    /** Waits until the session has nothing left to do; fails if it timed out, ended or reported a problem. */
    static void awaitIdle(MiniProgramSession session, Counting sink) throws InterruptedException {
        if (!session.awaitIdle(WAIT)) {
            throw new IllegalStateException("the session did not go idle within " + WAIT);
        }
        sink.check();
        if (session.ended()) {
            throw new IllegalStateException("the session ended, exit code " + session.exitCode());
        }
    }
}
