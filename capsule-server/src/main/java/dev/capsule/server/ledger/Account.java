package dev.capsule.server.ledger;

import java.time.Instant;
import java.util.Set;

/** An account and its balances, as of the read (amounts in minor units of the ledger's currency). */
public record Account(AccountId id, int ledger, int code, Set<AccountFlag> flags, String userData, long debitsPending,
        long debitsPosted, long creditsPending, long creditsPosted, Instant createdAt) {
    public Account {
        flags = Set.copyOf(flags);
    }

    /** Posted credits minus posted debits (what a wallet or merchant balance shows). */
    public long creditBalance() {
        return creditsPosted - debitsPosted;
    }
}
