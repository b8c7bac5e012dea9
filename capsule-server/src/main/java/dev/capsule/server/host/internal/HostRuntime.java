package dev.capsule.server.host.internal;

import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.Storage;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The node's one {@link CapsuleRuntime} for hosted sessions, made at the first session (a node that never hosts one
 * starts no engine and no worker): {@code capsule.host.isolation} ({@code process}: a sandboxed worker process per
 * session, the default; {@code in-process}: the development preview and most tests), the platform's {@link Storage} (in
 * each user's region: {@link RegionalStorage}),
 * the runtime's guarded network client, and the platform audit sink for what happens outside a session (a refused
 * launch). Each session gets its own {@link HostServices} ({@link SessionServices}).
 *
 * <p>Worker pool: {@code sessions-per-node-max} busy workers plus {@code workers-ready} started ahead, so the node
 * never runs more workers than it may host sessions plus the ready ones.
 */
@Component
class HostRuntime implements DisposableBean {
    private final HostSettings settings;
    private final Storage storage;
    private final AuditSink audit;
    private GuardedHttpClient http;
    private CapsuleRuntime runtime;
    private boolean closed;

    HostRuntime(HostSettings settings, RegionalStorage storage, AuditSink audit) {
        this.settings = settings;
        this.storage = storage.forRuntime();
        this.audit = audit;
    }

    /**
     * The runtime, made now if this is the first session.
     *
     * @throws IllegalStateException when it cannot be made (process isolation without its sandbox) or the node stops
     */
    synchronized CapsuleRuntime get() {
        if (closed) {
            throw new IllegalStateException("the server is shutting down");
        }
        if (runtime == null) {
            if (settings.processIsolation() && inBootFatJar()) {
                throw new IllegalStateException("process isolation needs the server run from its extracted layout (./capsule serve"
                        + " does so; or java -Djarmode=tools -jar capsule-server.jar extract), since a worker JVM cannot load nested jars");
            }
            GuardedHttpClient client = GuardedHttpClient.create();
            try {
                runtime = new CapsuleRuntime(settings.processIsolation() ? Isolation.PROCESS : Isolation.IN_PROCESS, RuntimeLimits.DEFAULTS,
                        HostServices.defaults().withAudit(audit), storage, client, workerLimits(settings));
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            http = client;
        }
        return runtime;
    }

    /** Workers started and waiting (0 before the first session and in-process). */
    synchronized int readyWorkers() {
        return runtime == null ? 0 : runtime.readyWorkers();
    }

    /** Whether the server runs from Spring Boot's fat jar (its nested jars are no class path a worker JVM can use). */
    static boolean inBootFatJar() {
        return HostRuntime.class.getClassLoader().getClass().getName().startsWith("org.springframework.boot.loader");
    }

    static WorkerLimits workerLimits(HostSettings settings) {
        return WorkerLimits.DEFAULTS.withWorkers(settings.sessionsPerNodeMax() + settings.workersReady(), settings.workersReady());
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        if (runtime != null) {
            runtime.close();
            http.close();
        }
    }
}
