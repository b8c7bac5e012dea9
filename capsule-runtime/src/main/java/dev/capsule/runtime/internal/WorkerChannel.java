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
final class WorkerChannel implements HostApis, Session.EventBoundaries, SessionView.Sink {
    /** The host's answer to a call, and how long of it the host spent waiting for the user (a prompt). */
    private record Answer(ApiOutcome outcome, long promptNanos) {}

    private final OutputStream out;
    private final Capabilities capabilities;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Answer>> calls = new ConcurrentHashMap<>();
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

    // ---- SessionView.Sink: the page views go to the host, which checks each batch against its own tree ----

    @Override
    public void batch(int page, String route, dev.capsule.runtime.view.ViewBatch batch) {
        ObjectNode body = Json.object().put("kind", "batch").put("page", page).put("route", route);
        body.set("batch", ViewMessages.batch(batch));
        send(WorkerProtocol.VIEW, body);
    }

    @Override
    public void shown(int page, int depth) {
        send(WorkerProtocol.VIEW, Json.object().put("kind", "shown").put("page", page).put("depth", depth));
    }

    @Override
    public void closed(int page) {
        send(WorkerProtocol.VIEW, Json.object().put("kind", "closed").put("page", page));
    }

    void audit(AuditEvent event) {
        send(WorkerProtocol.AUDIT, Json.object().put("action", event.action()).put("outcome", event.outcome()).put("detail", event.detail()));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public void began() {
        send(WorkerProtocol.EVENT_BEGAN, Json.object());
    }

    @Override
    public void ended() {
        send(WorkerProtocol.EVENT_ENDED, Json.object());
    }

    /**
     * A round trip to the host, on the session's loop thread. The host's work counts against the
     * event's wall clock, as in-process; only the time the host reports it spent on a prompt does not.
     */
    @Override
    public ApiOutcome invoke(String name, boolean sync, JsonNode args) {
        long id = ids.incrementAndGet();
        CompletableFuture<Answer> reply = new CompletableFuture<>();
        calls.put(id, reply);
        ObjectNode call = Json.object().put("id", id).put("name", name).put("sync", sync);
        call.set("args", args);
        if (Apis.neverPrompts(name)) {
            send(WorkerProtocol.CALL, call);
            return reply.join().outcome(); // the wall clock runs on: nothing of this wait is the user's
        }
        // Sent inside the wait: awaitHost first sends the page's pending batch, so the host has it before it prompts.
        return session.awaitHost(() -> {
            send(WorkerProtocol.CALL, call);
            return reply.join();
        }, Answer::promptNanos).outcome();
    }

    /** On the reader thread: a later result is registered before the caller wakes, so its COMPLETE always finds it. */
    void reply(JsonNode body) {
        CompletableFuture<Answer> waiting = calls.remove(body.path("id").asLong(-1));
        if (waiting == null) {
            throw new UncheckedIOException(new IOException("reply to no call"));
        }
        JsonNode outcome = body.path("outcome");
        JsonNode later = outcome.get("later");
        long promptNanos = Math.max(0, body.path("promptNanos").asLong(0));
        if (later != null && later.isIntegralNumber()) {
            CompletableFuture<ApiOutcome> done = new CompletableFuture<>();
            laters.put(later.longValue(), done);
            waiting.complete(new Answer(new ApiOutcome.Later(done), promptNanos));
        } else {
            waiting.complete(new Answer(WorkerMessages.outcome(outcome), promptNanos));
        }
    }

    void complete(JsonNode body) {
        CompletableFuture<ApiOutcome> waiting = laters.remove(body.path("later").asLong(-1));
        if (waiting == null) {
            throw new UncheckedIOException(new IOException("completion of no call"));
        }
        waiting.complete(WorkerMessages.outcome(body.path("outcome")));
    }
}
