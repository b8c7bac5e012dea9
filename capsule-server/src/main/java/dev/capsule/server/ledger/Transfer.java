package dev.capsule.server.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A transfer as recorded (immutable once written). {@code state} is where a pending transfer stands now. */
public record Transfer(TransferId id, AccountId debitAccount, AccountId creditAccount, long amount, Optional<TransferId> pendingId,
        int ledger, int code, Set<TransferFlag> flags, Duration timeout, String userData, State state, Instant createdAt) {
    public Transfer {
        flags = Set.copyOf(flags);
    }

    public enum State {
        /** Moved the amount (a plain transfer, a post, or a void's record). */
        POSTED,
        /** A pending transfer not yet posted, voided or expired. */
        PENDING,
        /** A pending transfer that was posted (in part or whole) by a later transfer. */
        PENDING_POSTED,
        /** A pending transfer that was voided, or expired. */
        PENDING_VOIDED
    }
}
