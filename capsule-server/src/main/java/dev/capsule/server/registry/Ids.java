package dev.capsule.server.registry;

import java.util.Optional;
import java.util.UUID;

/** The one way the registry's typed ids read text: the canonical UUID form only, never the nil UUID. */
final class Ids {
    private static final int UUID_CHARS = 36;

    private Ids() {
    }

    static Optional<UUID> parseUuid(String text) {
        if (text == null || text.length() != UUID_CHARS) {
            return Optional.empty();
        }
        try {
            UUID value = UUID.fromString(text);
            boolean nil = value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0;
            return value.toString().equals(text) && !nil ? Optional.of(value) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
