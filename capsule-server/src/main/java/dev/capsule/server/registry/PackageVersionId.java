package dev.capsule.server.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One uploaded version of a mini-program in the registry (assigned at upload; never reused). A
 * mini-program id plus a version string names the same row, but this id is what crosses module
 * boundaries, so a version that was rejected and one that was approved are never confused.
 *
 * <p>Security guarantees: never the nil UUID; {@link #parse} answers empty for text that is not the
 * canonical form of a UUID.
 */
public record PackageVersionId(UUID value) {
    public PackageVersionId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("a package version id is never the nil UUID");
        }
    }

    public static PackageVersionId random() {
        return new PackageVersionId(UUID.randomUUID());
    }

    /** The id in its canonical text form, or empty. */
    public static Optional<PackageVersionId> parse(String text) {
        return Ids.parseUuid(text).map(PackageVersionId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
