package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.NewAccount;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The accounts this node has seen committed with exactly these fields, so that creating one again answers
 * {@code EXISTS} without a round trip (the payments module "creates" the accounts of every payment before its
 * transfer). It can never be wrong: an account is never deleted and its fields never change (V90's triggers), and an
 * entry is added only after the database showed the row with the same fields and the transaction that saw it
 * committed (a row this transaction inserted could still roll back). Bounded: when full it is
 * emptied and refills from the database.
 */
final class KnownAccounts {
    /** Most accounts remembered per node. */
    static final int ACCOUNTS_MAX = 100_000;

    private final Set<NewAccount> accounts = ConcurrentHashMap.newKeySet();

    boolean contains(NewAccount account) {
        return accounts.contains(account);
    }

    /** Remembers the account once the current transaction commits (at once when there is none). */
    void addAfterCommit(NewAccount account) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    add(account);
                }
            });
        } else {
            add(account);
        }
    }

    private void add(NewAccount account) {
        if (accounts.size() >= ACCOUNTS_MAX) {
            accounts.clear();
        }
        accounts.add(account);
    }
}
