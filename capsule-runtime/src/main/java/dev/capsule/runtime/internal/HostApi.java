package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/**
 * One policy-bearing wx API (storage, network, host UI, consent, identity, personal data, payment).
 * {@code args} is a snapshot (plain JSON copied from guest data before any check), so what is checked
 * is what is used: there is no time-of-check/time-of-use gap.
 */
@FunctionalInterface
interface HostApi {
    ApiOutcome handle(ApiContext context, JsonNode args);
}
