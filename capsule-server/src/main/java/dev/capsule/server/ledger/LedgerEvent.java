package dev.capsule.server.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger module publishes for the audit log.
 *
 * @param kind    what happened
 * @param outcome {@code success} or {@code failure}
 * @param detail  for a statement: the day and per-ledger totals in a fixed format; for a verification: counts and the
 *                first problem; never user text
 * @param actor   the operator who asked, when one did
 */
public record LedgerEvent(LedgerKind kind, String outcome, String detail, Optional<String> actor) {
    public enum LedgerKind {
        /** The daily balance statement (per ledger: accounts, total debits, total credits; a digest of all balances). */
        STATEMENT,
        /** An invariant check ran (console, API or {@code capsule ledger verify}). */
        VERIFY
    }

    public LedgerEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(actor, "actor");
    }
}
