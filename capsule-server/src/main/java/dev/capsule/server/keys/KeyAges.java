package dev.capsule.server.keys;

import java.time.Instant;
import java.util.List;

/**
 * The keys' public inventory with their ages, and the recent rotations (no key material; docs/keys.md), for the
 * compliance module's evidence. The same rows {@code GET /api/v1/keys} lists.
 *
 * <p>Security guarantees: ids, states and times only; never a key's bytes or wrapping.
 */
public interface KeyAges {
    /** Every key (at most a thousand), primary keys first within a purpose. */
    List<KeyAge> keyAges();

    /** The most recent rotations, newest first. */
    List<KeyRotationState> recentRotations();

    /**
     * One key.
     *
     * @param status primary, enabled, retired or destroyed
     */
    record KeyAge(String purpose, String keyId, String status, Instant createdAt, Instant statusAt) {
    }

    /**
     * One rotation.
     *
     * @param state rewrapping, done or failed
     */
    record KeyRotationState(String purpose, String newKeyId, String state, Instant startedAt, Instant finishedAt) {
    }
}
