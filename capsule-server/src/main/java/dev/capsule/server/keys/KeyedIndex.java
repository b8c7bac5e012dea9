package dev.capsule.server.keys;

import java.util.List;
import java.util.Objects;

/**
 * A keyed index over secret values (PCI DSS 4.0 req. 3.5.1.1: a keyed cryptographic hash of the whole card number,
 * never an unkeyed one): HMAC-SHA256 under a purpose's own rotatable key set ({@link DataPurpose#keyedHash()}, other
 * than {@link DataPurpose#PSEUDONYMS}, which has {@link Pseudonyms}).
 *
 * <p>Security guarantees: tags are 128 bits of HMAC-SHA256 under a 256-bit key that never leaves the keys module;
 * the value is never logged; a tag names the key that made it, so rows can be re-indexed under a new primary key
 * during rotation while lookups try {@link #candidates} (every key not yet retired).
 */
public interface KeyedIndex {
    /** Longest value indexed. */
    int VALUE_BYTES_MAX = 1024;

    /** The tag of {@code value} under the purpose's primary key. */
    Tag tag(DataPurpose purpose, byte[] value);

    /** The tags of {@code value} under every key of the purpose that may still be in stored rows, primary first. */
    List<Tag> candidates(DataPurpose purpose, byte[] value);

    /** @param hex 32 lower-case hex characters */
    record Tag(int keyId, String hex) {
        public Tag {
            Objects.requireNonNull(hex, "hex");
        }
    }
}
