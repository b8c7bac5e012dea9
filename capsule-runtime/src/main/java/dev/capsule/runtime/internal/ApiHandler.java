package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/**
 * One wx API. {@code args} is a snapshot (plain JSON copied from guest data before any check), so
 * what is checked is what is used: there is no time-of-check/time-of-use gap.
 */
@FunctionalInterface
interface ApiHandler {
    ApiOutcome handle(Session session, JsonNode args);
}
