package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/**
 * One wx API over the session's own JavaScript state (page stack, fixed system facts, canIUse): it
 * reaches nothing outside the session, so it runs next to the engine, in the worker when there is one.
 */
@FunctionalInterface
interface LocalApi {
    ApiOutcome handle(Session session, JsonNode args);
}
