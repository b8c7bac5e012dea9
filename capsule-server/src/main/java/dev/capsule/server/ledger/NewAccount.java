package dev.capsule.server.ledger;

import java.util.Objects;
import java.util.Set;

/**
 * An account to create.
 *
 * @param ledger   which ledger it belongs to: the ISO 4217 numeric code of its currency; transfers only move amounts
 *                 between accounts of one ledger
 * @param code     what kind of account it is, chosen by the owning module (payments: wallet, merchant, fees, clearing)
 * @param userData an opaque reference for the owning module (a merchant id, a payer pseudonym), at most 64 characters
 */
public record NewAccount(AccountId id, int ledger, int code, Set<AccountFlag> flags, String userData) {
    public static final int USER_DATA_CHARS_MAX = 64;

    public NewAccount {
        Objects.requireNonNull(id, "id");
        flags = Set.copyOf(flags);
        Objects.requireNonNull(userData, "userData");
        if (ledger <= 0 || code <= 0 || code > 65535) {
            throw new IllegalArgumentException("ledger is positive and code 1-65535");
        }
        if (userData.length() > USER_DATA_CHARS_MAX) {
            throw new IllegalArgumentException("user data has at most " + USER_DATA_CHARS_MAX + " characters");
        }
    }
}
