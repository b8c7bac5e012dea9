package dev.capsule.server.payments;

import java.util.Objects;

/**
 * The payer of a hosted session, as the host gives it: the platform's id and the pairwise id that this mini-program
 * (and so its merchant backend) knows the user by. A payment intent created with a {@code payer} names the pairwise id;
 * the sheet refuses it for any other user.
 *
 * @param id        the platform's user id
 * @param appUserId the user's pairwise id for the mini-program that asked (the host's {@code PairwiseIds})
 */
public record Payer(PayerId id, String appUserId) {
    public Payer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appUserId, "appUserId");
        if (appUserId.isEmpty() || appUserId.length() > 128) {
            throw new IllegalArgumentException("a pairwise user id has 1-128 characters");
        }
    }

    @Override
    public String toString() {
        return "Payer[redacted]";
    }
}
