package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.StopReason;
import dev.capsule.runtime.ViolationKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a worker session ends, once: by its own exit event, or by the host, which kills the worker for
 * a protocol violation, a crash, or a limit the host enforces itself (event clock, output); then the
 * violation (audited) and the exit event go out with nothing between, and the worker is gone.
 *
 * <p>Security guarantees: a session ends at most once, and a session the host ended for the worker's
 * misbehaviour exits with code 1 and a violation the worker cannot suppress.
 */
final class WorkerEnding {
    private final WorkerProcess worker;
    private final SessionOutput output;
    private final AuditRecorder audit;
    private final String appId;
    private final CountDownLatch exited = new CountDownLatch(1);
    private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private volatile int exitCode;

    WorkerEnding(WorkerProcess worker, SessionOutput output, AuditRecorder audit, String appId) {
        this.worker = worker;
        this.output = output;
        this.audit = audit;
        this.appId = appId;
    }

    /** Runs when the session ends (stops the session's other threads, answers pending queries). */
    void onEnd(Runnable action) {
        onEnd.add(action);
    }

    boolean ended() {
        return ended;
    }

    int exitCode() {
        return exitCode;
    }

    boolean awaitExit(long millis) throws InterruptedException {
        return exited.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Ends the session once: the violation (if any), its audit, the exit event; then the worker goes. False if it had already ended. */
    boolean end(int code, String reason, RuntimeEvent.Violation violation) {
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            exitCode = code;
        }
        output.end(violation, new RuntimeEvent.Exit(code, reason));
        if (violation != null) {
            audit.record("violation", violation.kind().wireName(), violation.message());
        }
        onEnd.forEach(Runnable::run);
        exited.countDown();
        Thread.ofVirtual().start(() -> {
            if (worker.exitCode() == null) {
                worker.kill();
            }
        });
        return true;
    }

    /** The host's stop ({@code MiniProgramSession.stop}): the worker is killed, the session exits 1 with the host's reason, audited as in-process. */
    void stop(StopReason reason, String detail) {
        String text = SafeText.escape(detail);
        // Ended first, so the reader that sees the killed worker's pipe close finds the session ended, not crashed.
        if (end(1, reason.wireName() + ": " + text, null)) {
            audit.record(Session.STOP_AUDIT_ACTION, reason.wireName(), text);
        }
        worker.kill();
    }

    /** A limit the host enforces itself was broken: the worker is killed and the session ends with that violation. */
    void kill(ViolationKind kind, String message) {
        worker.kill();
        end(1, kind.wireName() + " violation: " + message, new RuntimeEvent.Violation(kind, message, true));
    }

    void protocolViolation(String message) {
        kill(ViolationKind.PROTOCOL, "the worker broke the protocol: " + SafeText.escape(message));
    }

    /** The worker's output stopped: it died (or stopped reading, which the pool's stall check ended). */
    void crashed() {
        if (ended) {
            return;
        }
        if (worker.stalled()) {
            protocolViolation("the worker stopped reading what the host sent it");
            return;
        }
        WorkerProcess.Ending ending = worker.ending();
        kill(ending.outOfMemory() ? ViolationKind.MEMORY : ViolationKind.WORKER, ending.description());
        // For the operator: the worker's last words (escaped, bounded; the worker is untrusted, so never shown to users).
        System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "worker of " + appId + " ended: "
                + ending.description() + worker.stderrSuffix());
    }
}
