package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves a worker's policy calls on the host side ({@link HostSide}), one at a time: a call that
 * never prompts runs on the reader thread when nothing else is running (one thread hand-off less per
 * round trip); anything that may wait for the user runs on this session's call thread, so the reader
 * keeps reading (and notices a dying worker) while the user decides. Each reply says how long the
 * host waited for the user, the only part of a call the worker takes off its event's clock. It also
 * keeps the ledger of successful answers that the worker's api events may claim.
 *
 * <p>Security guarantees: at most {@link #CALLS_PENDING_MAX} calls wait at once; a worker cannot
 * report an API as successful more often than the host answered it so, and must report what the
 * host answered (at most {@link #OK_ANSWERS_UNREPORTED_MAX} outstanding).
 */
final class PolicyCalls {
    /** Policy calls queued for the host at once: an honest worker waits for each answer, so it never has more than one. */
    static final int CALLS_PENDING_MAX = 4;
    /** Successful host answers a worker has yet to report as api events; more means it is not reporting them. */
    static final int OK_ANSWERS_UNREPORTED_MAX = 10_000;

    private final HostSide host;
    private final WorkerOutbox outbox;
    private final WorkerEventClock clock;
    private final WorkerEnding ending;
    private final Consumer<RuntimeEvent> emit;
    private final ArrayBlockingQueue<ObjectNode> queued = new ArrayBlockingQueue<>(CALLS_PENDING_MAX);
    private final ReentrantLock running = new ReentrantLock();
    private final Thread caller;
    private final AtomicLong laterIds = new AtomicLong();
    private final Map<String, AtomicInteger> okAnswers = new ConcurrentHashMap<>();
    private final AtomicInteger okUnreported = new AtomicInteger();
    /** Time the current call has spent waiting for the user; only touched while {@link #running} is held. */
    private long callUserNanos;

    PolicyCalls(String appId, HostSide host, WorkerOutbox outbox, WorkerEventClock clock, WorkerEnding ending, Consumer<RuntimeEvent> emit) {
        this.host = host;
        this.outbox = outbox;
        this.clock = clock;
        this.ending = ending;
        this.emit = emit;
        this.caller = Thread.ofVirtual().name("capsule-host-calls-" + appId).unstarted(this::serveQueued);
        ending.onEnd(caller::interrupt);
    }

    void start() {
        caller.start();
    }

    /** A CALL frame, on the reader thread. */
    void accept(ObjectNode body) throws ProtocolViolation {
        if (Apis.neverPrompts(body.path("name").asString("")) && running.tryLock()) {
            try {
                if (queued.isEmpty()) {
                    call(body);
                    return;
                }
            } finally {
                running.unlock();
            }
        }
        if (!queued.offer(body)) {
            throw new ProtocolViolation("more than " + CALLS_PENDING_MAX + " calls pending");
        }
    }

    /**
     * A host callout that waits for the user (a prompt): its time is reported to the worker with the
     * call's reply and taken off the host's clock of the event, as in-process.
     */
    <T> T userWait(Supplier<T> prompt) {
        long began = System.nanoTime();
        clock.userWaitStarted();
        try {
            return prompt.get();
        } finally {
            clock.userWaitEnded();
            if (running.isHeldByCurrentThread()) {
                callUserNanos += System.nanoTime() - began;
            }
        }
    }

    /** The worker's api event claims {@code name} succeeded: allowed once per successful host answer. */
    void claimOk(String name) throws ProtocolViolation {
        var count = okAnswers.get(name);
        if (count == null || count.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            throw new ProtocolViolation("api event claims " + name + " succeeded; the host did not answer so");
        }
        okUnreported.decrementAndGet();
    }

    private void serveQueued() {
        try {
            while (!ending.ended()) {
                ObjectNode body = queued.take();
                running.lock(); // calls never run side by side, whichever thread runs them
                try {
                    call(body);
                } catch (ProtocolViolation e) {
                    ending.protocolViolation(e.getMessage());
                    return;
                } finally {
                    running.unlock();
                }
            }
        } catch (InterruptedException e) {
            // The session ended.
        }
    }

    private void call(ObjectNode body) throws ProtocolViolation {
        long id = WorkerProtocol.requireLong(body, "id");
        String name = WorkerProtocol.requireText(body, "name", WorkerMessages.NAME_CHARS_MAX);
        boolean sync = WorkerProtocol.requireBoolean(body, "sync");
        JsonNode args = WorkerProtocol.require(body, "args");
        callUserNanos = 0;
        ApiOutcome outcome;
        try {
            outcome = host.invoke(name, sync, args);
        } catch (RuntimeException e) {
            emit.accept(new RuntimeEvent.Log("error", "capsule internal error: host error in " + SafeText.escape(name)));
            outcome = ApiOutcome.fail("internal error");
        }
        if (sync && outcome instanceof ApiOutcome.Later) {
            outcome = ApiOutcome.fail("internal error");
        }
        ObjectNode reply = Json.object().put("id", id).put("promptNanos", callUserNanos);
        if (outcome instanceof ApiOutcome.Later later) {
            long laterId = laterIds.incrementAndGet();
            reply.putObject("outcome").put("later", laterId);
            outbox.reply(reply); // before COMPLETE, which may follow at once
            later.future().whenComplete((done, error) -> {
                ApiOutcome result = error != null || done instanceof ApiOutcome.Later ? ApiOutcome.fail("internal error") : done;
                if (result instanceof ApiOutcome.Ok) {
                    answeredOk(name);
                }
                ObjectNode complete = Json.object().put("later", laterId);
                complete.set("outcome", WorkerMessages.outcome(result));
                outbox.send(WorkerProtocol.COMPLETE, complete);
            });
        } else {
            if (outcome instanceof ApiOutcome.Ok) {
                answeredOk(name);
            }
            reply.set("outcome", WorkerMessages.outcome(outcome));
            outbox.reply(reply);
        }
    }

    /** Records that the host answered {@code name} ok: the worker's api event for it is then allowed to say so. */
    private void answeredOk(String name) {
        if (okUnreported.incrementAndGet() > OK_ANSWERS_UNREPORTED_MAX) {
            Thread.ofVirtual().start(() -> ending.protocolViolation("more than " + OK_ANSWERS_UNREPORTED_MAX + " answers never reported"));
            return;
        }
        okAnswers.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    }
}
