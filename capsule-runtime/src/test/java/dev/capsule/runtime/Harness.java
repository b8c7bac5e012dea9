package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageLimits;
import java.time.Duration;

/** A runtime for tests: launches test apps, dispatches events, waits for quiet. */
final class Harness implements AutoCloseable {
    static final Duration IDLE_WAIT = Duration.ofSeconds(20);

    final CapsuleRuntime runtime;
    final Storage storage;
    private final GuardedHttpClient http;
    private final boolean ownsHttp;

    Harness() {
        this(HostServices.defaults(), RuntimeLimits.DEFAULTS);
    }

    Harness(HostServices services, RuntimeLimits limits) {
        this(services, limits, GuardedHttpClient.create(), true);
    }

    Harness(HostServices services, RuntimeLimits limits, GuardedHttpClient http, boolean ownsHttp) {
        this(Isolation.IN_PROCESS, services, limits, http, ownsHttp, WorkerLimits.DEFAULTS);
    }

    Harness(Isolation isolation, HostServices services, RuntimeLimits limits, GuardedHttpClient http, boolean ownsHttp,
            WorkerLimits workerLimits) {
        this.storage = EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS);
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.runtime = new CapsuleRuntime(isolation, limits, services, storage, http, workerLimits);
    }

    /** A harness whose sessions run in worker processes. */
    static Harness inWorkers(HostServices services, WorkerLimits workerLimits) {
        return new Harness(Isolation.PROCESS, services, RuntimeLimits.DEFAULTS, GuardedHttpClient.create(), true, workerLimits);
    }

    /** A launched session and what it reported. */
    record Run(MiniProgramSession session, Recorder events) implements AutoCloseable {
        Run dispatch(String handler, String eventJson) {
            return dispatch(handler, null, eventJson);
        }

        Run dispatch(String handler, String route, String eventJson) {
            session.dispatch(handler, route, eventJson);
            return idle();
        }

        Run idle() {
            try {
                assertThat(session.awaitIdle(IDLE_WAIT)).as("session went idle").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        @Override
        public void close() {
            session.close();
        }
    }

    Run run(CapsulePackage pkg) {
        return run(pkg, "user-1");
    }

    Run run(CapsulePackage pkg, String user) {
        return run(pkg, user, LaunchOptions.DEFAULT);
    }

    /** Launches {@code pkg} where {@code launch} says (a page path, its query, a scene). */
    Run run(CapsulePackage pkg, String user, LaunchOptions launch) {
        Recorder recorder = new Recorder();
        try {
            return new Run(runtime.launchUnverified(pkg, user, recorder, launch), recorder).idle();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a fresh, normal app and checks it works: the host survived whatever came before. */
    void assertHealthy() {
        try (Run run = run(TestApps.page("Page({data:{n:1}, onLoad(){ this.setData({n: this.data.n + 1}); }})"))) {
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":2}");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @Override
    public void close() {
        runtime.close();
        if (ownsHttp) {
            http.close();
        }
    }
}
