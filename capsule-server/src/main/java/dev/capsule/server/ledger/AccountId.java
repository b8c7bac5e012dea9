package dev.capsule.server.ledger;

import java.util.Objects;
import java.util.UUID;

/** A ledger account's id, chosen by the client (TigerBeetle's u128 id; here a UUID's 128 bits). Never all zero. */
public record AccountId(UUID value) {
    public AccountId {
        Objects.requireNonNull(value, "value");
        if (value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("an account id is not zero");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
