package dev.capsule.server.privacy;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A data-subject request's id: a random UUID, never reused. */
public record PrivacyRequestId(UUID value) {
    public PrivacyRequestId {
        Objects.requireNonNull(value, "value");
    }

    public static PrivacyRequestId random() {
        return new PrivacyRequestId(UUID.randomUUID());
    }

    /** The id this text names, or empty when it is not a UUID in its canonical form. */
    public static Optional<PrivacyRequestId> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID value = UUID.fromString(text);
            return value.toString().equals(text) ? Optional.of(new PrivacyRequestId(value)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
