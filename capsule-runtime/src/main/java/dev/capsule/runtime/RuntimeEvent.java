package dev.capsule.runtime;

import java.util.Objects;

/**
 * What a session reports, in order (spec §5). {@code json} fields hold JSON text produced by
 * Capsule from snapshots of guest data, never guest objects.
 */
public sealed interface RuntimeEvent {
    /** The session started: package identity and whether its signatures were verified. */
    record Launch(String appId, String version, boolean verified, String userId) implements RuntimeEvent {}

    /** A lifecycle hook is about to run: target is "app" or a page route. */
    record Lifecycle(String target, String hook) implements RuntimeEvent {}

    /** A page's whole data after a change. */
    record Data(String route, String json) implements RuntimeEvent {}

    /** A wx call finished: ok, or fail with the reason the mini-program sees. */
    record Api(String name, boolean ok, String reason) implements RuntimeEvent {
        public Api {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The host rendered UI for the mini-program: kind is the API (showToast, showModal, …); json its arguments and answer. */
    record Ui(String kind, String json) implements RuntimeEvent {}

    /** Console output (level log, info, warn, error, debug) or a script error (level error). */
    record Log(String level, String text) implements RuntimeEvent {}

    /** A limit or policy was broken; {@code sessionEnded} when the session cannot go on. */
    record Violation(ViolationKind kind, String message, boolean sessionEnded) implements RuntimeEvent {
        public Violation {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A page's view changed: the ops of one render of the page at {@code route}, already validated and
     * applied by the host's copy of that page's tree (docs/view.md). Batches of one page come in version
     * order; {@link MiniProgramSession#view()} answers the current page's tree as they left it.
     */
    record View(String route, dev.capsule.runtime.view.ViewBatch batch) implements RuntimeEvent {
        public View {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(batch, "batch");
        }
    }

    /** The session ended: code 0 ran to the end, 1 stopped for a violation or error. */
    record Exit(int code, String reason) implements RuntimeEvent {}
}
