package dev.capsule.runtime.internal;

import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks what a worker reports about its session before any of it reaches the host's event stream
 * or audit trail. Events arrive already decoded from parsed values ({@link WorkerMessages#event}):
 * the host emits records it built, and page data as canonical JSON it wrote itself.
 *
 * <p>Security guarantees: the worker's launch event must match the launch the host sent (the host
 * emitted its own already); nothing comes before it; the worker cannot emit UI events, the host's own
 * violation kinds, or an api success the host did not answer; a session it reported broken exits 1
 * whatever its exit event says; it may audit only denials of its local APIs and refused modules.
 */
final class WorkerEvents {
    private final RuntimeEvent.Launch launch;
    private final SessionOutput output;
    private final AuditRecorder audit;
    private final PolicyCalls calls;
    private final WorkerEnding ending;
    private final PageViews views;
    // Only the reader thread touches these.
    private boolean launchSeen;
    private boolean brokeSession;

    WorkerEvents(RuntimeEvent.Launch launch, SessionOutput output, AuditRecorder audit, PolicyCalls calls, WorkerEnding ending, PageViews views) {
        this.launch = launch;
        this.views = views;
        this.output = output;
        this.audit = audit;
        this.calls = calls;
        this.ending = ending;
    }

    void requireLaunched() throws ProtocolViolation {
        if (!launchSeen) {
            throw new ProtocolViolation("event before the launch event");
        }
    }

    void event(RuntimeEvent event) throws ProtocolViolation {
        if (event instanceof RuntimeEvent.Launch l) {
            if (launchSeen || !l.equals(launch)) {
                throw new ProtocolViolation("launch event does not match the launch");
            }
            launchSeen = true; // the host already emitted its own
            return;
        }
        requireLaunched();
        switch (event) {
            case RuntimeEvent.Exit exit -> ending.end(brokeSession ? 1 : exit.code(), exit.reason(), null);
            case RuntimeEvent.Violation v -> {
                if (!v.kind().reportableByWorker()) {
                    throw new ProtocolViolation("violation kind '" + v.kind().wireName() + "' is the host's to report");
                }
                brokeSession |= v.sessionEnded();
                output.emit(v);
                audit.record("violation", v.kind().wireName(), v.message());
            }
            case RuntimeEvent.Ui ui -> throw new ProtocolViolation("ui events come from the host, not the worker");
            case RuntimeEvent.Api api -> {
                if (api.ok() && Apis.local(api.name(), false) == null && Apis.local(api.name(), true) == null) {
                    calls.claimOk(api.name());
                }
                output.emit(api);
            }
            default -> output.emit(event);
        }
    }

    /**
     * A VIEW frame: a page's batch goes through the host's own tree of that page ({@link PageViews}, the
     * same validation in-process batches pass) and only then out as a view event; a batch the tree
     * refuses, or a malformed frame, is a protocol violation that ends the worker.
     */
    void view(ObjectNode body) throws ProtocolViolation {
        requireLaunched();
        String kind = WorkerProtocol.requireText(body, "kind", WorkerMessages.NAME_CHARS_MAX);
        long page = WorkerProtocol.requireLong(body, "page");
        if (page < 1 || page > Integer.MAX_VALUE) {
            throw new ProtocolViolation("view page id out of range");
        }
        switch (kind) {
            case "batch" -> {
                String route = WorkerProtocol.requireText(body, "route", WorkerMessages.NAME_CHARS_MAX);
                JsonNode batch = WorkerProtocol.require(body, "batch");
                try {
                    views.apply((int) page, route, ViewMessages.batch(batch));
                } catch (dev.capsule.runtime.view.ViewOpException e) {
                    throw new ProtocolViolation("view batch refused: " + e.getMessage());
                }
            }
            case "shown" -> {
                long depth = WorkerProtocol.requireLong(body, "depth");
                if (depth < 1 || depth > views.stackDepthMax()) {
                    throw new ProtocolViolation("view stack depth out of range");
                }
                views.shown((int) page, (int) depth);
            }
            case "closed" -> views.closed((int) page);
            default -> throw new ProtocolViolation("unknown view message");
        }
    }

    /** An AUDIT frame: a denial by one of the worker's local APIs or a refused module (violations are audited from their events). */
    void audit(ObjectNode body) throws ProtocolViolation {
        requireLaunched();
        String action = WorkerProtocol.requireText(body, "action", WorkerMessages.NAME_CHARS_MAX);
        String outcome = WorkerProtocol.requireText(body, "outcome", WorkerMessages.NAME_CHARS_MAX);
        String detail = WorkerProtocol.requireText(body, "detail", WorkerMessages.TEXT_CHARS_MAX);
        if (action.equals("violation")) {
            return; // audited by the host from the violation event itself
        }
        boolean localApi = action.startsWith("wx.") && Apis.local(action.substring(3), false) != null;
        if (!(localApi || action.equals(HostBridge.MODULE_AUDIT_ACTION)) || !outcome.equals("denied")) {
            throw new ProtocolViolation("a worker may audit only denials of its local APIs and refused modules");
        }
        audit.record(action, outcome, detail);
    }
}
