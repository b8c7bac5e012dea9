package dev.capsule.server.incidents;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A security incident's id (assigned when it is opened; never reused). It is the {@code incident} field of every audit
 * entry written by the incident or under it.
 *
 * <p>Security guarantees: never the nil UUID; {@link #parse} answers empty for text that is not a UUID's canonical form.
 */
public record IncidentId(UUID value) {
    public IncidentId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("an incident id is never the nil UUID");
        }
    }

    public static IncidentId random() {
        return new IncidentId(UUID.randomUUID());
    }

    /** The id in its canonical text form, or empty. */
    public static Optional<IncidentId> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID value = UUID.fromString(text);
            boolean nil = value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0;
            return value.toString().equals(text) && !nil ? Optional.of(new IncidentId(value)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
