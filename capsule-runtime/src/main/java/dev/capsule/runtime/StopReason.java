package dev.capsule.runtime;

import java.util.Optional;

/**
 * Why a host ended a running session on its own account ({@link MiniProgramSession#stop}), not for
 * anything the mini-program did. A closed set: a host that switches over it is told by the compiler
 * when a reason is added. {@link #wireName()} starts the exit event's reason ({@code "revoked: …"}), is
 * the outcome of the session's {@code session stopped} audit record, and is stable for scripts.
 */
public enum StopReason {
    /** The platform revoked this version of the mini-program (its signed revocation list names it). */
    REVOKED("revoked"),
    /** The platform raised its minimum runtime version (its signed revocation list) above this runtime's. */
    RUNTIME_BELOW_MINIMUM("runtime-below-minimum");

    private final String wireName;

    StopReason(String wireName) {
        this.wireName = wireName;
    }

    /** The stable lower-case name used in exit reasons and audit records. */
    public String wireName() {
        return wireName;
    }

    /** The reason with this wire name, if any. */
    public static Optional<StopReason> ofWireName(String name) {
        for (StopReason r : values()) {
            if (r.wireName.equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
