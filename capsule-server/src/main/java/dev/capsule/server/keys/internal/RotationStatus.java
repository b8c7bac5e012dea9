package dev.capsule.server.keys.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * A rotation as the API and the CLI show it.
 *
 * @param oldKeyId  the key being replaced (8-hex Tink id, or 64-hex KeyId for a signing key)
 * @param newKeyId  the new primary
 * @param state     rewrapping, done or failed
 * @param resealed  values re-encrypted so far
 * @param remaining values still under the old key at the last count (null before the first count)
 */
record RotationStatus(UUID id, String purpose, String oldKeyId, String newKeyId, String state, long resealed, Long remaining,
        Instant startedAt, Instant finishedAt, String error) {

    boolean finished() {
        return !"rewrapping".equals(state);
    }

    /** Fraction done from 0 to 1 (1 once finished). */
    double progress() {
        if (finished() || (remaining != null && remaining == 0)) {
            return 1.0; // done, or counted and nothing left (also when there was nothing to re-encrypt)
        }
        if (remaining == null) {
            return 0.0;
        }
        return (double) resealed / (resealed + remaining);
    }
}
