package dev.capsule.server.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A developer organisation registered by operators (assigned at registration; never reused).
 *
 * <p>Security guarantees: never the nil UUID; {@link #parse} answers empty for text that is not the
 * canonical form of a UUID.
 */
public record OrganisationId(UUID value) {
    public OrganisationId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("an organisation id is never the nil UUID");
        }
    }

    public static OrganisationId random() {
        return new OrganisationId(UUID.randomUUID());
    }

    /** The id in its canonical text form, or empty. */
    public static Optional<OrganisationId> parse(String text) {
        return Ids.parseUuid(text).map(OrganisationId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
