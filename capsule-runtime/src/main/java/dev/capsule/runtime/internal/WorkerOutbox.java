package dev.capsule.runtime.internal;

import java.io.IOException;
import tools.jackson.databind.JsonNode;

/**
 * What the host sends one worker, without ever waiting on it ({@link WorkerProcess} queues what the
 * worker has not read yet): a send that fails because the worker left too much unread ends the
 * session as a protocol violation; nothing is sent once the session has ended.
 */
final class WorkerOutbox {
    private final WorkerProcess worker;
    private final WorkerEnding ending;

    WorkerOutbox(WorkerProcess worker, WorkerEnding ending) {
        this.worker = worker;
        this.ending = ending;
    }

    void send(byte type, JsonNode body) {
        if (ending.ended()) {
            return;
        }
        try {
            worker.send(type, body);
        } catch (IOException e) {
            // Too much left unread: the worker stopped reading (a dead worker's pipe the reader notices by itself).
            Thread.ofVirtual().start(() -> ending.protocolViolation(e.getMessage()));
        }
    }

    /** A reply to a policy call: written at once when the pipe is free (see {@link WorkerProcess#reply}). */
    void reply(JsonNode body) {
        if (ending.ended()) {
            return;
        }
        try {
            worker.reply(body);
        } catch (IOException e) {
            // A broken pipe (the reader notices the death) or too much unread (ended just as for send).
            Thread.ofVirtual().start(() -> ending.protocolViolation(e.getMessage()));
        }
    }

    /** The package launch (its body is not JSON); a worker that cannot take it has crashed. */
    void launch(byte[] body) {
        try {
            worker.send(WorkerProtocol.LAUNCH, body);
        } catch (IOException e) {
            ending.crashed();
        }
    }
}
