package dev.capsule.runtime.internal;

import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.host.AuditEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker's side of the protocol: sends its session's events, audit records and policy calls to
 * the host, and matches the host's replies to the calls waiting for them. When the session's exit
 * event is out, the worker process ends: a worker serves one session, then nothing else.
 */
final class WorkerChannel implements HostApis {
    private final OutputStream out;
    private final Capabilities capabilities;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<ApiOutcome>> laters = new ConcurrentHashMap<>();
    private volatile Session session;

    WorkerChannel(OutputStream out, Capabilities capabilities) {
        this.out = out;
        this.capabilities = capabilities;
    }

    WorkerChannel bind(Session s) {
        this.session = s;
        return this;
    }

    synchronized void send(byte type, JsonNode body) {
        try {
            WorkerProtocol.write(out, type, body);
        } catch (IOException e) {
            // The host is gone: nothing is left to serve.
            Runtime.getRuntime().halt(WorkerMain.EXIT_HOST_GONE);
        }
    }

    void event(RuntimeEvent event) {
        send(WorkerProtocol.EVENT, WorkerMessages.event(event));
        if (event instanceof RuntimeEvent.Exit) {
            Runtime.getRuntime().halt(0);
        }
    }

    void audit(AuditEvent event) {
        send(WorkerProtocol.AUDIT, Json.object().put("action", event.action()).put("outcome", event.outcome()).put("detail", event.detail()));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** A round trip to the host, on the session's loop thread; the wait is not charged to the event's wall clock. */
    @Override
    public ApiOutcome invoke(String name, boolean sync, JsonNode args) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        ObjectNode call = Json.object().put("id", id).put("name", name).put("sync", sync);
        call.set("args", args);
        send(WorkerProtocol.CALL, call);
        JsonNode answer = session.hostCall(reply::join);
        JsonNode later = answer.get("later");
        if (later != null && later.isIntegralNumber()) {
            CompletableFuture<ApiOutcome> done = new CompletableFuture<>();
            laters.put(later.longValue(), done);
            return new ApiOutcome.Later(done);
        }
        return WorkerMessages.outcome(answer);
    }

    void reply(JsonNode body) {
        CompletableFuture<JsonNode> waiting = calls.remove(body.path("id").asLong(-1));
        if (waiting == null) {
            throw new UncheckedIOException(new IOException("reply to no call"));
        }
        waiting.complete(body.path("outcome"));
    }

    void complete(JsonNode body) {
        CompletableFuture<ApiOutcome> waiting = laters.remove(body.path("later").asLong(-1));
        if (waiting == null) {
            throw new UncheckedIOException(new IOException("completion of no call"));
        }
        waiting.complete(WorkerMessages.outcome(body.path("outcome")));
    }
}
