package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/**
 * Where a session's policy APIs run: {@link HostSide} directly (in-process tier) or a round trip to
 * the host over the worker protocol (worker tier). Either way the host decides.
 */
interface HostApis {
    Capabilities capabilities();

    /** Runs policy API {@code name}; an unknown or unavailable name fails with "not available". */
    ApiOutcome invoke(String name, boolean sync, JsonNode args);

    /** The session ended: the host side lets go of what it holds for it (sockets, temporary files). A worker's channel holds nothing. */
    default void sessionEnded() {}
}
