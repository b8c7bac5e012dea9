package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.internal.WorkerProtocol.Frame;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host's handle on a session running in a worker process. It reads the worker's frames on one
 * thread, in order: events go to the sink after checks, policy calls run on {@link HostSide} (all
 * policy stays in the host), and anything malformed, oversized or out of place ends the worker.
 *
 * <p>Security guarantees: the worker is untrusted. It cannot claim another app, user or a verified
 * launch (the host emits the launch event and checks the worker's copy), cannot call an API the host
 * did not grant, cannot report a host API as successful unless the host answered it so, cannot emit
 * UI events or the host's own violation kinds, and cannot end a session it broke with exit 0. Parsing
 * one of its frames is bounded by the frame's size and token limits; no shared host thread waits on
 * it: only this session's threads write to it (replies directly when nothing is queued, the rest
 * through a queue), and a worker that leaves too much unread or stalls a write is killed; calls that
 * may prompt the user run on their own thread (at most {@link #CALLS_PENDING_MAX} pending), so the
 * reader notices a worker's death as soon as its pipe closes. Any error while handling a worker ends that
 * session only. Limits a worker enforces on its own guest (statements, wall clock, allocation, timers,
 * console, setData, queue) are only as good as the worker; the host's backstops are the worker's heap,
 * rlimits, frame limits and this class's checks.
 */
final class RemoteSession implements MiniProgramSession, HostSide.Callouts {
    /** Audit records one worker may send; more are dropped (a compromised worker must not flood the audit trail). */
    static final int AUDIT_RECORDS_MAX = 1_000;
    /** How long close() waits for the worker's own exit event before killing it. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    /** Extra wait for a worker's answer to an idle or route query beyond the caller's timeout. */
    static final long QUERY_GRACE_MILLIS = 1_000;
    /** Policy calls queued for the host at once: an honest worker waits for each answer, so it never has more than one. */
    static final int CALLS_PENDING_MAX = 4;
    /** Successful host answers a worker has yet to report as api events; more means it is not reporting them. */
    static final int OK_ANSWERS_UNREPORTED_MAX = 10_000;

    private final WorkerProcess worker;
    private final CapsulePackage pkg;
    private final boolean verified;
    private final String userId;
    private final EventSink sink;
    private final HostServices services;
    private final HostSide host;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> queries = new ConcurrentHashMap<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final Thread reader;
    private final AtomicLong laterIds = new AtomicLong();
    private boolean launchSeen;
    private long auditRecords;
    private boolean brokeSession;
    private final java.util.concurrent.ArrayBlockingQueue<ObjectNode> calls = new java.util.concurrent.ArrayBlockingQueue<>(CALLS_PENDING_MAX);
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> okAnswers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger okUnreported = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread caller;
    private final java.util.concurrent.locks.ReentrantLock callLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean ended;
    private volatile int exitCode;
    private volatile String lastRoute;

    RemoteSession(WorkerProcess worker, CapsulePackage pkg, boolean verified, String userId, RuntimeLimits limits, HostServices services,
            StorageArea storage, GuardedHttpClient http, EventSink sink) {
        this.worker = worker;
        this.pkg = pkg;
        this.verified = verified;
        this.userId = userId;
        this.sink = sink;
        this.services = services;
        this.host = new HostSide(pkg.manifest(), userId, limits, services, storage, http, this);
        this.reader = Thread.ofPlatform().daemon(true).name("capsule-worker-" + pkg.manifest().id()).unstarted(this::read);
        this.caller = Thread.ofVirtual().name("capsule-host-calls-" + pkg.manifest().id()).unstarted(this::answerCalls);
    }

    /** Emits the launch event, sends LAUNCH and starts reading; a worker that cannot take the launch ends the session. */
    void start(String launchQueryJson, RuntimeLimits limits) {
        emit(new RuntimeEvent.Launch(pkg.manifest().id(), pkg.manifest().version(), verified, userId));
        byte[] header = Json.mapper().writeValueAsBytes(WorkerMessages.launch(userId, verified, launchQueryJson, limits, host.capabilities()));
        byte[] archive = pkg.archive();
        ByteArrayOutputStream body = new ByteArrayOutputStream(4 + header.length + archive.length);
        body.writeBytes(ByteBuffer.allocate(4).putInt(header.length).array());
        body.writeBytes(header);
        body.writeBytes(archive);
        reader.start();
        caller.start();
        try {
            worker.send(WorkerProtocol.LAUNCH, body.toByteArray());
        } catch (IOException e) {
            crashed();
        }
    }

    // ---- reading the worker ---------------------------------------------------------------------

    private void read() {
        try {
            while (!ended) {
                Frame frame = WorkerProtocol.read(worker.in(), WorkerProtocol.WORKER_FRAME_BYTES_MAX);
                if (frame == null) {
                    break;
                }
                handle(frame);
            }
        } catch (ProtocolViolation e) {
            protocolViolation(e.getMessage());
            return;
        } catch (IOException e) {
            // The pipe broke: the worker died; handled below.
        } catch (Throwable e) {
            // Out of memory, a failing sink: whatever it was, this session cannot go on, and no other is touched.
            worker.kill();
            end(1, "worker violation: the host could not handle the worker's output",
                    new RuntimeEvent.Violation(ViolationKind.WORKER, "the host could not handle the worker's output", true));
            return;
        }
        if (!ended) {
            crashed();
        }
    }

    private void handle(Frame frame) throws ProtocolViolation {
        ObjectNode body = WorkerProtocol.object(frame);
        switch (frame.type()) {
            case WorkerProtocol.EVENT -> event(WorkerMessages.event(body));
            case WorkerProtocol.CALL -> {
                requireLaunched();
                // A call that never waits for the user runs here, when no other call is running: one
                // thread hand-off less per round trip. Anything that may prompt goes to the call thread,
                // so the reader keeps reading (and notices a dying worker) while the user decides.
                if (Apis.neverPrompts(body.path("name").asString("")) && callLock.tryLock()) {
                    try {
                        if (calls.isEmpty()) {
                            call(body);
                            return;
                        }
                    } finally {
                        callLock.unlock();
                    }
                }
                if (!calls.offer(body)) {
                    throw new ProtocolViolation("more than " + CALLS_PENDING_MAX + " calls pending");
                }
            }
            case WorkerProtocol.AUDIT -> {
                requireLaunched();
                audit(body);
            }
            case WorkerProtocol.IDLE, WorkerProtocol.ROUTE -> {
                CompletableFuture<JsonNode> q = queries.remove(WorkerProtocol.requireLong(body, "token"));
                if (q == null) {
                    throw new ProtocolViolation("answer to no query");
                }
                q.complete(body);
            }
            default -> throw new ProtocolViolation("unexpected frame type " + frame.type());
        }
    }

    private void requireLaunched() throws ProtocolViolation {
        if (!launchSeen) {
            throw new ProtocolViolation("event before the launch event");
        }
    }

    private void event(RuntimeEvent event) throws ProtocolViolation {
        if (event instanceof RuntimeEvent.Launch l) {
            if (launchSeen || !l.equals(new RuntimeEvent.Launch(pkg.manifest().id(), pkg.manifest().version(), verified, userId))) {
                throw new ProtocolViolation("launch event does not match the launch");
            }
            launchSeen = true; // the host already emitted its own
            return;
        }
        requireLaunched();
        switch (event) {
            case RuntimeEvent.Exit exit -> end(brokeSession ? 1 : exit.code(), exit.reason(), null);
            case RuntimeEvent.Violation v -> {
                if (!v.kind().reportableByWorker()) {
                    throw new ProtocolViolation("violation kind '" + v.kind().wireName() + "' is the host's to report");
                }
                brokeSession |= v.sessionEnded();
                emit(v);
                auditCapped("violation", v.kind().wireName(), v.message());
            }
            case RuntimeEvent.Ui ui -> throw new ProtocolViolation("ui events come from the host, not the worker");
            case RuntimeEvent.Api api -> {
                if (api.ok() && Apis.local(api.name(), false) == null && Apis.local(api.name(), true) == null) {
                    var count = okAnswers.get(api.name());
                    if (count == null || count.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                        throw new ProtocolViolation("api event claims " + api.name() + " succeeded; the host did not answer so");
                    }
                    okUnreported.decrementAndGet();
                }
                emit(api);
            }
            default -> emit(event);
        }
    }

    /** Records that the host answered {@code name} ok: the worker's api event for it is then allowed to say so. */
    private void answeredOk(String name) {
        if (okUnreported.incrementAndGet() > OK_ANSWERS_UNREPORTED_MAX) {
            Thread.ofVirtual().start(() -> protocolViolation("more than " + OK_ANSWERS_UNREPORTED_MAX + " answers never reported"));
            return;
        }
        okAnswers.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    /** The call thread: answers the worker's policy calls one at a time, off the reader thread. */
    private void answerCalls() {
        try {
            while (!ended) {
                ObjectNode body = calls.take();
                callLock.lock(); // calls never run side by side, whichever thread runs them
                try {
                    call(body);
                } catch (ProtocolViolation e) {
                    protocolViolation(e.getMessage());
                    return;
                } finally {
                    callLock.unlock();
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
        ApiOutcome outcome;
        try {
            outcome = host.invoke(name, sync, args);
        } catch (RuntimeException e) {
            emit(new RuntimeEvent.Log("error", "capsule internal error: host error in " + SafeText.escape(name)));
            outcome = ApiOutcome.fail("internal error");
        }
        if (sync && outcome instanceof ApiOutcome.Later) {
            outcome = ApiOutcome.fail("internal error");
        }
        ObjectNode reply = Json.object().put("id", id);
        if (outcome instanceof ApiOutcome.Later later) {
            long laterId = laterIds.incrementAndGet();
            reply.putObject("outcome").put("later", laterId);
            replyQuietly(reply); // before COMPLETE, which may follow at once
            later.future().whenComplete((done, error) -> {
                ApiOutcome result = error != null || done instanceof ApiOutcome.Later ? ApiOutcome.fail("internal error") : done;
                if (result instanceof ApiOutcome.Ok) {
                    answeredOk(name);
                }
                ObjectNode complete = Json.object().put("later", laterId);
                complete.set("outcome", WorkerMessages.outcome(result));
                sendQuietly(WorkerProtocol.COMPLETE, complete);
            });
        } else {
            if (outcome instanceof ApiOutcome.Ok) {
                answeredOk(name);
            }
            reply.set("outcome", WorkerMessages.outcome(outcome));
            replyQuietly(reply);
        }
    }

    private void audit(ObjectNode body) throws ProtocolViolation {
        String action = WorkerProtocol.requireText(body, "action", WorkerMessages.NAME_CHARS_MAX);
        String outcome = WorkerProtocol.requireText(body, "outcome", WorkerMessages.NAME_CHARS_MAX);
        String detail = WorkerProtocol.requireText(body, "detail", WorkerMessages.TEXT_CHARS_MAX);
        if (action.equals("violation")) {
            return; // audited by the host from the violation event itself
        }
        // A worker may audit only what it decides itself: a denial by a local API.
        if (!action.startsWith("wx.") || Apis.local(action.substring(3), false) == null || !outcome.equals("denied")) {
            throw new ProtocolViolation("a worker may audit only denials of its local APIs");
        }
        auditCapped(action, outcome, detail);
    }

    /** Audit records caused by the worker (its violations and local denials), at most {@link #AUDIT_RECORDS_MAX}. */
    private void auditCapped(String action, String outcome, String detail) {
        if (++auditRecords <= AUDIT_RECORDS_MAX) {
            services.audit().record(new AuditEvent(Instant.now(), pkg.manifest().id(), userId, SafeText.escape(action),
                    SafeText.escape(outcome), SafeText.escape(detail)));
        }
    }

    // ---- ending ---------------------------------------------------------------------------------

    private void protocolViolation(String message) {
        worker.kill();
        String text = "the worker broke the protocol: " + SafeText.escape(message);
        end(1, "protocol violation: " + text, new RuntimeEvent.Violation(ViolationKind.PROTOCOL, text, true));
    }

    private void crashed() {
        if (ended) {
            return;
        }
        if (worker.stalled()) {
            protocolViolation("the worker stopped reading what the host sent it");
            return;
        }
        WorkerProcess.Ending ending = worker.ending();
        worker.kill();
        ViolationKind kind = ending.outOfMemory() ? ViolationKind.MEMORY : ViolationKind.WORKER;
        end(1, kind.wireName() + " violation: " + ending.description(), new RuntimeEvent.Violation(kind, ending.description(), true));
        // For the operator: the worker's last words (escaped, bounded; the worker is untrusted, so never shown to users).
        System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "worker of " + pkg.manifest().id() + " ended: "
                + ending.description() + worker.stderrSuffix());
    }

    /** Ends the session once: the violation (if any), its audit, the exit event; then the worker goes. */
    private void end(int code, String reason, RuntimeEvent.Violation violation) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (violation != null) {
                sink.accept(violation);
                services.audit().record(new AuditEvent(Instant.now(), pkg.manifest().id(), userId, "violation", violation.kind().wireName(),
                        violation.message()));
            }
            ended = true;
            exitCode = code;
            sink.accept(new RuntimeEvent.Exit(code, reason));
        }
        queries.values().forEach(q -> q.complete(Json.object()));
        caller.interrupt();
        exited.countDown();
        Thread.ofVirtual().start(() -> {
            if (worker.exitCode() == null) {
                worker.kill();
            }
        });
    }

    // ---- HostSide.Callouts ----------------------------------------------------------------------

    @Override
    public <T> T hostCall(Supplier<T> call) {
        return call.get(); // the worker excludes the round trip from its event's wall clock
    }

    @Override
    public void emit(RuntimeEvent event) {
        synchronized (this) {
            if (!ended) {
                sink.accept(event);
            }
        }
    }

    // ---- MiniProgramSession ---------------------------------------------------------------------

    private void replyQuietly(JsonNode body) {
        if (ended) {
            return;
        }
        try {
            worker.reply(body);
        } catch (IOException e) {
            // A broken pipe (the reader notices the death) or too much unread (ended just as for send).
            Thread.ofVirtual().start(() -> protocolViolation(e.getMessage()));
        }
    }

    private void sendQuietly(byte type, JsonNode body) {
        if (ended) {
            return;
        }
        try {
            worker.send(type, body);
        } catch (IOException e) {
            // Too much left unread: the worker stopped reading (a dead worker's pipe the reader notices by itself).
            Thread.ofVirtual().start(() -> protocolViolation(e.getMessage()));
        }
    }

    @Override
    public void dispatch(String handler, String route, String eventJson) {
        ObjectNode body = Json.object().put("handler", handler).put("route", route).put("event", eventJson);
        sendQuietly(WorkerProtocol.DISPATCH, body);
    }

    private JsonNode query(byte type, ObjectNode body, long waitMillis) throws InterruptedException {
        long token = tokens.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        queries.put(token, answer);
        sendQuietly(type, body.put("token", token));
        try {
            return answer.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        } finally {
            queries.remove(token);
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (ended) {
            return true;
        }
        JsonNode answer = query(WorkerProtocol.AWAIT_IDLE, Json.object().put("millis", timeout.toMillis()),
                timeout.toMillis() + QUERY_GRACE_MILLIS);
        return ended || (answer != null && answer.path("idle").asBoolean(false));
    }

    @Override
    public String currentRoute() {
        if (!ended) {
            try {
                JsonNode answer = query(WorkerProtocol.ROUTE_QUERY, Json.object(), QUERY_GRACE_MILLIS);
                if (answer != null && answer.has("route")) {
                    JsonNode r = answer.get("route");
                    lastRoute = r.isString() && r.stringValue().length() <= WorkerMessages.NAME_CHARS_MAX ? SafeText.escape(r.stringValue()) : null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return lastRoute;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    @Override
    public void close() {
        sendQuietly(WorkerProtocol.CLOSE, Json.object());
        try {
            if (!exited.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                worker.kill();
                end(0, "closed (the worker did not stop in time and was killed)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.kill();
            end(0, "closed", null);
        }
    }

    /** The worker's process, for tests and diagnostics. */
    Process process() {
        return worker.process();
    }
}
