package dev.capsule.server.access;

import java.util.Objects;
import java.util.UUID;

/**
 * The developer organisation an API key acts for, when it is bound to one. The access module stores
 * and carries it without knowing what an organisation is: the registry module defines organisations
 * (its {@code OrganisationId} converts to and from this), and this type lives here only because the
 * registry depends on access, not the other way round.
 *
 * <p>Security guarantees: a binding is set when the key is created (by one operator, approved by a
 * second, like the rest of the key) and never changes; never the nil UUID.
 */
public record OrganisationBinding(UUID value) {
    public OrganisationBinding {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("an organisation binding is never the nil UUID");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
