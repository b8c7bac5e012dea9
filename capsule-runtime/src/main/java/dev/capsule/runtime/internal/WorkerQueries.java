package dev.capsule.runtime.internal;

import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host's questions to a worker (is it idle, which route is on top) matched to its answers by
 * token. An answer to no open question is a protocol violation; a question whose answer does not
 * come in time gets none, and every open question is answered empty when the session ends.
 */
final class WorkerQueries {
    /** Extra wait for a worker's answer to an idle or route query beyond the caller's timeout. */
    static final long QUERY_GRACE_MILLIS = 1_000;

    private final WorkerOutbox outbox;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> open = new ConcurrentHashMap<>();

    WorkerQueries(WorkerOutbox outbox) {
        this.outbox = outbox;
    }

    /** Sends a question and waits for its answer; null when none came within {@code waitMillis}. */
    JsonNode ask(byte type, ObjectNode body, long waitMillis) throws InterruptedException {
        long token = tokens.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        open.put(token, answer);
        outbox.send(type, body.put("token", token));
        try {
            return answer.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } finally {
            open.remove(token);
        }
    }

    /** A worker's IDLE or ROUTE frame. */
    void answer(ObjectNode body) throws ProtocolViolation {
        CompletableFuture<JsonNode> q = open.remove(WorkerProtocol.requireLong(body, "token"));
        if (q == null) {
            throw new ProtocolViolation("answer to no query");
        }
        q.complete(body);
    }

    /** The session ended: nobody waits for a worker that is gone. */
    void cancelAll() {
        open.values().forEach(q -> q.complete(Json.object()));
    }
}
