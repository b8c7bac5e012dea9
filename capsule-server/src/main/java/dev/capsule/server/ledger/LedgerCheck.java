package dev.capsule.server.ledger;

import java.util.List;

/**
 * The result of checking the ledger's invariants ({@code capsule ledger verify}, the console's ledger page): every
 * transfer balanced (one debit, one credit, same amount, same ledger), total debits = total credits per ledger, every
 * account's stored balances equal the sum of its transfers, no account past its balance-limit flag.
 *
 * @param problems one line each, naming the ledger, account or transfer; empty when every invariant holds
 */
public record LedgerCheck(long accounts, long transfers, List<String> problems) {
    public static final int PROBLEMS_MAX = 100;

    public LedgerCheck {
        problems = List.copyOf(problems.size() > PROBLEMS_MAX ? problems.subList(0, PROBLEMS_MAX) : problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
