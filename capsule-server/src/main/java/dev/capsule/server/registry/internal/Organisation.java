package dev.capsule.server.registry.internal;

import dev.capsule.server.registry.OrganisationId;
import java.time.Instant;
import java.util.Objects;

/** A developer organisation row (V50). */
record Organisation(OrganisationId id, String legalName, String contact, boolean verified, String createdBy,
                    Instant createdAt) {
    Organisation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(legalName, "legalName");
        Objects.requireNonNull(contact, "contact");
    }
}
