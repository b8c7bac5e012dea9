package dev.capsule.server.keys;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Starting the rotation of a purpose's platform keys from another module (the incidents module's runbook): the same
 * rotation {@code POST /api/v1/keys/{purpose}/rotations} and the console's keys page start — a new primary key now
 * and, for data keys, a background re-wrap of everything the old key protected, after which the old key is retired.
 * The caller's endpoint declares {@code keys.manage} with step-up, as the keys module's own do.
 *
 * <p>Security guarantees: the purpose is one of the closed set ({@link #purposes()}; anything else is 404
 * {@code unknown-key-purpose}); one rotation per purpose runs at a time (409 {@code key-rotation-running}); the acting
 * operator is the current request's and the rotation is audited ({@code key.rotate}) in its transaction; nothing
 * returned is key material.
 */
public interface KeyRotation {
    /** Starts rotating the keys of the purpose named {@code purposeCode}. */
    StartedRotation rotate(String purposeCode);

    /** The codes of every key purpose, data keys first. */
    List<String> purposes();

    /**
     * A rotation that started.
     *
     * @param id       its id ({@code /console/keys/rotations/{id}} shows its progress)
     * @param newKeyId the new primary key's public id
     * @param state    rewrapping (data keys) or done (signing keys)
     */
    record StartedRotation(UUID id, String purpose, String newKeyId, String state) {
        public StartedRotation {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(newKeyId, "newKeyId");
            Objects.requireNonNull(state, "state");
        }
    }
}
