package dev.capsule.runtime.internal;

import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.internal.WorkerProtocol.Frame;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.io.IOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a worker's frames on one thread, in order, and hands each to the part of the session that
 * deals with it: events and audit records to {@link WorkerEvents}, policy calls to
 * {@link PolicyCalls}, answers to {@link WorkerQueries}, event boundaries to {@link WorkerEventClock}.
 *
 * <p>Security guarantees: each frame is read under {@link WorkerProtocol#WORKER_FRAME_BYTES_MAX} and
 * parsed under the protocol's token limits; anything malformed, oversized, unknown or out of place
 * ends the worker with a protocol violation; any other failure while handling it ends this session
 * only; a closed pipe before the session ended is a crash.
 */
final class WorkerReader {
    private final WorkerProcess worker;
    private final WorkerEvents events;
    private final PolicyCalls calls;
    private final WorkerQueries queries;
    private final WorkerEventClock clock;
    private final WorkerEnding ending;
    private final Thread thread;

    WorkerReader(String appId, WorkerProcess worker, WorkerEvents events, PolicyCalls calls, WorkerQueries queries, WorkerEventClock clock,
            WorkerEnding ending) {
        this.worker = worker;
        this.events = events;
        this.calls = calls;
        this.queries = queries;
        this.clock = clock;
        this.ending = ending;
        this.thread = Thread.ofPlatform().daemon(true).name("capsule-worker-" + appId).unstarted(this::read);
    }

    void start() {
        thread.start();
    }

    private void read() {
        try {
            while (!ending.ended()) {
                Frame frame = WorkerProtocol.read(worker.in(), WorkerProtocol.WORKER_FRAME_BYTES_MAX);
                if (frame == null) {
                    break;
                }
                handle(frame);
            }
        } catch (ProtocolViolation e) {
            ending.protocolViolation(e.getMessage());
            return;
        } catch (IOException e) {
            // The pipe broke: the worker died; handled below.
        } catch (Throwable e) {
            // Out of memory, a failing sink: whatever it was, this session cannot go on, and no other is touched.
            ending.kill(ViolationKind.WORKER, "the host could not handle the worker's output");
            return;
        }
        ending.crashed();
    }

    private void handle(Frame frame) throws ProtocolViolation {
        ObjectNode body = WorkerProtocol.object(frame);
        switch (frame.type()) {
            case WorkerProtocol.EVENT -> events.event(WorkerMessages.event(body));
            case WorkerProtocol.CALL -> {
                events.requireLaunched();
                calls.accept(body);
            }
            case WorkerProtocol.AUDIT -> events.audit(body);
            case WorkerProtocol.VIEW -> events.view(body);
            case WorkerProtocol.EVENT_BEGAN -> {
                events.requireLaunched();
                clock.began();
            }
            case WorkerProtocol.EVENT_ENDED -> clock.ended();
            case WorkerProtocol.IDLE, WorkerProtocol.ROUTE -> queries.answer(body);
            default -> throw new ProtocolViolation("unexpected frame type " + frame.type());
        }
    }
}
