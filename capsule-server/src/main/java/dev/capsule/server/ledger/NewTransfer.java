package dev.capsule.server.ledger;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A transfer to create: {@code amount} from the debit account to the credit account, both in {@code ledger}.
 *
 * @param pendingId the pending transfer this one posts or voids (with {@code POST_PENDING_TRANSFER} /
 *                  {@code VOID_PENDING_TRANSFER}); otherwise empty
 * @param timeout   for a {@code PENDING} transfer, when it voids itself if neither posted nor voided; zero = never
 * @param code      why the money moves, chosen by the owning module (payment, refund, fee, credit…)
 * @param userData  an opaque reference for the owning module (the payment intent's id), at most 64 characters
 */
public record NewTransfer(TransferId id, AccountId debitAccount, AccountId creditAccount, long amount, Optional<TransferId> pendingId,
        int ledger, int code, Set<TransferFlag> flags, Duration timeout, String userData) {
    public NewTransfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(debitAccount, "debitAccount");
        Objects.requireNonNull(creditAccount, "creditAccount");
        Objects.requireNonNull(pendingId, "pendingId");
        flags = Set.copyOf(flags);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(userData, "userData");
        if (amount < 0 || timeout.isNegative() || ledger <= 0 || code <= 0 || code > 65535
                || userData.length() > NewAccount.USER_DATA_CHARS_MAX) {
            throw new IllegalArgumentException("amount and timeout are not negative, ledger is positive, code 1-65535,"
                    + " user data at most " + NewAccount.USER_DATA_CHARS_MAX + " characters");
        }
    }
}
