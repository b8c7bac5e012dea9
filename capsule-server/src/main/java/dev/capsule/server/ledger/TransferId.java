package dev.capsule.server.ledger;

import java.util.Objects;
import java.util.UUID;

/**
 * A transfer's id, chosen by the client so that a retry is idempotent: creating a transfer whose id exists with the
 * same fields answers {@link TransferResult#EXISTS}. Never all zero.
 */
public record TransferId(UUID value) {
    public TransferId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("a transfer id is not zero");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
