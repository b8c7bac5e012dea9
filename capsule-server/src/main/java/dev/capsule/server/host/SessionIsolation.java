package dev.capsule.server.host;

/**
 * The isolation tier this node runs mini-program sessions in ({@code capsule.host.isolation}, docs/host.md).
 *
 * <p>Security guarantees: reports the setting the node's session host was built with, not a default restated elsewhere.
 */
public interface SessionIsolation {
    /** {@code process} (each session in a sandboxed worker process) or {@code in-process}. */
    String isolationTier();
}
