package dev.capsule.runtime;

import java.util.Optional;

/**
 * What kind of limit or policy a {@link RuntimeEvent.Violation} reports. A closed set: a host that
 * switches over it is told by the compiler when a kind is added. {@link #wireName()} is the stable
 * name in the CLI's JSON lines, the worker protocol and audit records (spec §5).
 *
 * <p>Security guarantees: {@link #WORKER} and {@link #PROTOCOL} are only ever reported by the host
 * about a worker process ({@link #reportableByWorker()} is false for them), so a compromised worker
 * cannot make its own death or misbehaviour look like an ordinary guest limit.
 */
public enum ViolationKind {
    /** An event ran past its statement or wall-clock budget. */
    CPU("cpu", true),
    /** An event or the whole session ran out of its memory budget. */
    MEMORY("memory", true),
    /** Too many timers pending. */
    TIMERS("timers", true),
    /** Too much console output in one event or in the session. */
    CONSOLE("console", true),
    /** A setData change too large or too deep. */
    SET_DATA("setData", true),
    /** Too many events queued. */
    QUEUE("queue", true),
    /** The session delivered more than {@code RuntimeLimits.sessionOutputBytesMax} bytes of events in its life. */
    OUTPUT("output", true),
    /** The JavaScript engine itself failed. */
    ENGINE("engine", true),
    /** The worker process died (worker processes only). */
    WORKER("worker", false),
    /** The worker broke the host-worker protocol and was ended (worker processes only). */
    PROTOCOL("protocol", false);

    private final String wireName;
    private final boolean reportableByWorker;

    ViolationKind(String wireName, boolean reportableByWorker) {
        this.wireName = wireName;
        this.reportableByWorker = reportableByWorker;
    }

    /** The stable lower-camel name used in JSON, the worker protocol and the audit trail. */
    public String wireName() {
        return wireName;
    }

    /** Whether a worker process may report this kind about its own session; the others are the host's. */
    public boolean reportableByWorker() {
        return reportableByWorker;
    }

    /** The kind with this wire name, if any. */
    public static Optional<ViolationKind> ofWireName(String name) {
        for (ViolationKind k : values()) {
            if (k.wireName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
