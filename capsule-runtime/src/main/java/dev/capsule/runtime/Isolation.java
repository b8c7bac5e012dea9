package dev.capsule.runtime;

/** Where a session's JavaScript runs. See SECURITY.md for what each tier stops. */
public enum Isolation {
    /**
     * Tier 2: each session in its own worker JVM, sandboxed by the OS (bubblewrap on Linux: no
     * network, read-only minimal file system, own PID namespace, rlimits, capped heap). Every policy
     * call is a message the host answers.
     */
    PROCESS,
    /** Tier 1: each session in its own GraalJS context inside the host JVM. */
    IN_PROCESS;

    /** The default: worker processes. */
    public static Isolation defaultForThisPlatform() {
        return PROCESS;
    }
}
