package dev.capsule.server.access;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An operator's stable id (the identity module assigns it; usernames may be reused, ids never are). This
 * is how an operator crosses module boundaries (callers, API key events, key events, audit events);
 * nothing passes it around as a string to be parsed again.
 *
 * <p>Security guarantees: never the nil UUID; {@link #fromName} is the one place an authentication's
 * name is read as an id, and it answers empty (never a guess) for a name that is not one.
 */
public record OperatorId(UUID value) {
    public OperatorId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("an operator id is never the nil UUID");
        }
    }

    public static OperatorId of(UUID value) {
        return new OperatorId(value);
    }

    /** The id an authentication's name stands for (the identity module names its sessions by the id); empty otherwise. */
    public static Optional<OperatorId> fromName(String name) {
        if (name == null || name.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID value = UUID.fromString(name);
            return value.toString().equals(name) && !(value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0)
                    ? Optional.of(new OperatorId(value)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
