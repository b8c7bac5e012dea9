package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
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
 * did not grant, cannot make the host allocate more than one frame's limit, and cannot outlive its
 * session: the host kills it on close, on a protocol violation and when it stops answering. A worker
 * that dies ends its session with a violation event within a second (EOF on its pipe is immediate).
 */
final class RemoteSession implements MiniProgramSession, HostSide.Callouts {
    /** Audit records one worker may send; more are dropped (a compromised worker must not flood the audit trail). */
    static final int AUDIT_RECORDS_MAX = 1_000;
    /** How long close() waits for the worker's own exit event before killing it. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    /** Extra wait for a worker's answer to an idle or route query beyond the caller's timeout. */
    static final long QUERY_GRACE_MILLIS = 1_000;

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
    private int auditRecords;
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
        }
        if (!ended) {
            crashed();
        }
    }

    private void handle(Frame frame) throws ProtocolViolation {
        ObjectNode body = WorkerProtocol.object(frame);
        switch (frame.type()) {
            case WorkerProtocol.EVENT -> event(WorkerMessages.event(body));
            case WorkerProtocol.CALL -> call(body);
            case WorkerProtocol.AUDIT -> audit(body);
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

    private void event(RuntimeEvent event) throws ProtocolViolation {
        switch (event) {
            case RuntimeEvent.Launch l -> {
                if (launchSeen || !l.equals(new RuntimeEvent.Launch(pkg.manifest().id(), pkg.manifest().version(), verified, userId))) {
                    throw new ProtocolViolation("launch event does not match the launch");
                }
                launchSeen = true; // the host already emitted its own
            }
            case RuntimeEvent.Exit exit -> end(exit.code(), exit.reason(), null);
            case RuntimeEvent.Violation v -> {
                emit(v);
                services.audit().record(new AuditEvent(Instant.now(), pkg.manifest().id(), userId, "violation", v.kind(), v.message()));
            }
            default -> {
                if (!launchSeen) {
                    throw new ProtocolViolation("event before the launch event");
                }
                emit(event);
            }
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
            later.future().whenComplete((done, error) -> {
                ApiOutcome result = error != null || done instanceof ApiOutcome.Later ? ApiOutcome.fail("internal error") : done;
                ObjectNode complete = Json.object().put("later", laterId);
                complete.set("outcome", WorkerMessages.outcome(result));
                sendQuietly(WorkerProtocol.COMPLETE, complete);
            });
        } else {
            reply.set("outcome", WorkerMessages.outcome(outcome));
        }
        sendQuietly(WorkerProtocol.REPLY, reply);
    }

    private void audit(ObjectNode body) throws ProtocolViolation {
        String action = WorkerProtocol.requireText(body, "action", WorkerMessages.NAME_CHARS_MAX);
        String outcome = WorkerProtocol.requireText(body, "outcome", WorkerMessages.NAME_CHARS_MAX);
        String detail = WorkerProtocol.requireText(body, "detail", WorkerMessages.TEXT_CHARS_MAX);
        if (action.equals("violation")) {
            return; // audited by the host from the violation event itself
        }
        if (++auditRecords <= AUDIT_RECORDS_MAX) {
            services.audit().record(new AuditEvent(Instant.now(), pkg.manifest().id(), userId, SafeText.escape(action),
                    SafeText.escape(outcome), SafeText.escape(detail)));
        }
    }

    // ---- ending ---------------------------------------------------------------------------------

    private void protocolViolation(String message) {
        worker.kill();
        String text = "the worker broke the protocol: " + SafeText.escape(message);
        end(1, "protocol violation: " + text, new RuntimeEvent.Violation("protocol", text, true));
    }

    private void crashed() {
        if (ended) {
            return;
        }
        boolean memory = worker.outOfMemory();
        String text = worker.exitDescription();
        worker.kill();
        end(1, (memory ? "memory" : "worker") + " violation: " + text, new RuntimeEvent.Violation(memory ? "memory" : "worker", text, true));
    }

    /** Ends the session once: the violation (if any), its audit, the exit event; then the worker goes. */
    private void end(int code, String reason, RuntimeEvent.Violation violation) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (violation != null) {
                sink.accept(violation);
                services.audit().record(new AuditEvent(Instant.now(), pkg.manifest().id(), userId, "violation", violation.kind(),
                        violation.message()));
            }
            ended = true;
            exitCode = code;
            sink.accept(new RuntimeEvent.Exit(code, reason));
        }
        queries.values().forEach(q -> q.complete(Json.object()));
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

    private void sendQuietly(byte type, JsonNode body) {
        if (ended) {
            return;
        }
        try {
            worker.send(type, body);
        } catch (IOException e) {
            // The reader sees the same broken pipe and ends the session.
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
                    lastRoute = r.isString() && r.stringValue().length() <= WorkerMessages.NAME_CHARS_MAX ? r.stringValue() : null;
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
