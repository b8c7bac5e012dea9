package dev.capsule.server.ledger.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folds the balance deltas of hot accounts (V102) into their rows: for an account its caller has locked
 * ({@link JdbcLedger#lockAccounts}), and in the background for the accounts no one holds — every
 * {@link #FOLD_INTERVAL_MILLIS} ms while there are deltas, once a second while there are none — so the deltas a balance
 * read sums stay few.
 *
 * <p>Security guarantees: a fold moves amounts between an account's row and its deltas in one statement, under the
 * account's row lock, so the sum the view {@code ledger_balances} shows never changes; only committed deltas (and
 * the caller's own) are folded, and two folds of one account run one after the other.
 */
@Component
class BalanceDeltas {
    /**
     * How often the background fold runs while deltas keep arriving: a balance read sums the deltas of about half an
     * interval, so at 1,000 payments a second to one merchant, 100 ms leaves about 50 rows to sum, not 500.
     */
    static final long FOLD_INTERVAL_MILLIS = 100;
    /** Runs skipped after one that found nothing to fold: an idle ledger is looked at once a second. */
    static final int IDLE_RUNS_SKIPPED = 9;
    /** Most accounts one background fold takes (the rest wait for the next). */
    static final int ACCOUNTS_PER_FOLD_MAX = 1_000;
    private static final Logger log = LoggerFactory.getLogger(BalanceDeltas.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private int idleRunsLeft;

    BalanceDeltas(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Folds the deltas of accounts the caller's transaction has locked; their new posted balances (debits, credits) by
     * account, for the accounts that had deltas.
     */
    Map<UUID, long[]> fold(Collection<UUID> locked) {
        Map<UUID, long[]> folded = new HashMap<>();
        if (locked.isEmpty()) {
            return folded;
        }
        jdbc.sql("""
                        WITH gone AS (
                            DELETE FROM ledger_balance_deltas WHERE account_id = ANY(CAST(:ids AS uuid[]))
                            RETURNING account_id, debits_posted, credits_posted),
                        sums AS (
                            SELECT account_id, sum(debits_posted) AS debits, sum(credits_posted) AS credits FROM gone GROUP BY account_id)
                        UPDATE ledger_accounts a SET debits_posted = a.debits_posted + s.debits, credits_posted = a.credits_posted + s.credits
                        FROM sums s WHERE a.id = s.account_id
                        RETURNING a.id, a.debits_posted, a.credits_posted""")
                .param("ids", JdbcLedger.array(locked))
                .query(rs -> {
                    folded.put(rs.getObject(1, UUID.class), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return folded;
    }

    @Scheduled(initialDelay = FOLD_INTERVAL_MILLIS, fixedDelay = FOLD_INTERVAL_MILLIS)
    void scheduled() {
        // Only the scheduler's one thread runs this (fixed delay: never two at once), so a plain field is enough.
        if (idleRunsLeft > 0) {
            idleRunsLeft--;
            return;
        }
        try {
            idleRunsLeft = foldIdle() == 0 ? IDLE_RUNS_SKIPPED : 0;
        } catch (RuntimeException e) {
            idleRunsLeft = IDLE_RUNS_SKIPPED;
            log.warn("folding ledger balance deltas failed; it runs again in {} ms", FOLD_INTERVAL_MILLIS * (IDLE_RUNS_SKIPPED + 1), e);
        }
    }

    /** Folds the deltas of up to {@link #ACCOUNTS_PER_FOLD_MAX} accounts no transaction holds; how many accounts. */
    int foldIdle() {
        Integer count = transactions.execute(status -> {
            List<UUID> pending = jdbc.sql("SELECT DISTINCT account_id FROM ledger_balance_deltas LIMIT :n")
                    .param("n", ACCOUNTS_PER_FOLD_MAX).query(UUID.class).list();
            if (pending.isEmpty()) {
                return 0;
            }
            List<UUID> locked = jdbc.sql("SELECT id FROM ledger_accounts WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED")
                    .param("ids", JdbcLedger.array(pending)).query(UUID.class).list();
            return fold(locked).size();
        });
        return count == null ? 0 : count;
    }
}
