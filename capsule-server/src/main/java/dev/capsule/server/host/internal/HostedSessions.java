package dev.capsule.server.host.internal;

import dev.capsule.server.registry.MiniProgramId;

/** What other parts of the module ask of the node's session host. */
public interface HostedSessions {
    /**
     * Ends every session of {@code app} on this node and tells their browsers to reconnect (each gets a new
     * session); the development preview calls it after a rebuild.
     */
    void restart(MiniProgramId app, String reason);

    /** Sessions open on this node now. */
    int open();
}
