package dev.capsule.server.ledger;

import dev.capsule.server.ledger.internal.LedgerConsole;

/**
 * {@code capsule ledger verify}: checks every ledger invariant on the server's database, run by the server jar like
 * {@code capsule keys} and {@code capsule osv} (the {@code ./capsule} launcher routes {@code ledger} to it). Exit 0 when
 * every invariant holds, 1 when one is broken (each problem printed) or the check failed, 2 for a usage error; see
 * docs/payments.md "The ledger".
 *
 * <p>Security guarantees: read-only (one REPEATABLE READ snapshot); the output names ids and amounts only.
 */
public final class LedgerCommand {
    private LedgerCommand() {
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args) {
        return LedgerConsole.run(args, System.out, System.err);
    }
}
