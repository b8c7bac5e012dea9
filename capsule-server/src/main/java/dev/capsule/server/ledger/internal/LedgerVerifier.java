package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.LedgerCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks the ledger's invariants over the whole of it, in one REPEATABLE READ snapshot (so concurrent transfers never
 * look like a broken invariant): every transfer balanced (two different accounts of the transfer's ledger, a post or
 * void matching its pending transfer and recorded as its outcome), total debits = total credits per ledger (posted and
 * pending), every account's stored balances (its row plus its unfolded deltas, the view {@code ledger_balances})
 * = the sums of its transfers, no account past its balance-limit flag. The work is PostgreSQL aggregates; at most {@link LedgerCheck#PROBLEMS_MAX} problems are read.
 */
@Component
class LedgerVerifier {
    private static final int ROWS = LedgerCheck.PROBLEMS_MAX;

    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;

    LedgerVerifier(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions.getTransactionManager());
        snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    LedgerCheck verify() {
        return snapshot.execute(status -> checkInCurrentTransaction());
    }

    /** The checks in the caller's transaction (tests run them over changes they roll back). */
    LedgerCheck checkInCurrentTransaction() {
        List<String> problems = new ArrayList<>();
        long accounts = jdbc.sql("SELECT count(*) FROM ledger_accounts").query(Long.class).single();
        long transfers = jdbc.sql("SELECT count(*) FROM ledger_transfers").query(Long.class).single();
        jdbc.sql("""
                SELECT ledger, sum(debits_posted), sum(credits_posted), sum(debits_pending), sum(credits_pending)
                FROM ledger_balances GROUP BY ledger ORDER BY ledger""")
                .query(rs -> {
                    BigDecimal debits = rs.getBigDecimal(2);
                    BigDecimal credits = rs.getBigDecimal(3);
                    BigDecimal debitsPending = rs.getBigDecimal(4);
                    BigDecimal creditsPending = rs.getBigDecimal(5);
                    if (debits.compareTo(credits) != 0 || debitsPending.compareTo(creditsPending) != 0) {
                        problems.add("ledger " + rs.getInt(1) + ": total debits " + debits + " (pending " + debitsPending + ") but total credits "
                                + credits + " (pending " + creditsPending + ")");
                    }
                });
        jdbc.sql("""
                SELECT t.id FROM ledger_transfers t
                JOIN ledger_accounts d ON d.id = t.debit_account JOIN ledger_accounts c ON c.id = t.credit_account
                LEFT JOIN ledger_transfers p ON p.id = t.pending_id
                WHERE t.debit_account = t.credit_account OR d.ledger <> t.ledger OR c.ledger <> t.ledger
                   OR (t.pending_id IS NOT NULL AND (p.flags & 2 = 0 OR p.debit_account <> t.debit_account
                       OR p.credit_account <> t.credit_account OR t.amount > p.amount
                       OR NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = p.id AND o.transfer_id = t.id)))
                ORDER BY t.seq LIMIT :n""").param("n", ROWS)
                .query(rs -> {
                    problems.add("transfer " + rs.getString(1) + ": not balanced (its accounts, ledger or pending transfer do not match)");
                });
        jdbc.sql("""
                WITH moves AS (
                    SELECT t.debit_account AS account,
                           CASE WHEN t.flags & 10 = 0 THEN t.amount ELSE 0 END AS debits_posted,
                           CASE WHEN t.flags & 2 <> 0 AND o.pending_id IS NULL THEN t.amount ELSE 0 END AS debits_pending,
                           0 AS credits_posted, 0 AS credits_pending
                    FROM ledger_transfers t LEFT JOIN ledger_pending_outcomes o ON o.pending_id = t.id
                    UNION ALL
                    SELECT t.credit_account, 0, 0,
                           CASE WHEN t.flags & 10 = 0 THEN t.amount ELSE 0 END,
                           CASE WHEN t.flags & 2 <> 0 AND o.pending_id IS NULL THEN t.amount ELSE 0 END
                    FROM ledger_transfers t LEFT JOIN ledger_pending_outcomes o ON o.pending_id = t.id),
                sums AS (
                    SELECT account, sum(debits_posted) AS dpo, sum(debits_pending) AS dpe, sum(credits_posted) AS cpo,
                           sum(credits_pending) AS cpe
                    FROM moves GROUP BY account)
                SELECT a.id, a.debits_posted, coalesce(s.dpo, 0), a.debits_pending, coalesce(s.dpe, 0),
                       a.credits_posted, coalesce(s.cpo, 0), a.credits_pending, coalesce(s.cpe, 0)
                FROM ledger_balances a LEFT JOIN sums s ON s.account = a.id
                WHERE a.debits_posted <> coalesce(s.dpo, 0) OR a.debits_pending <> coalesce(s.dpe, 0)
                   OR a.credits_posted <> coalesce(s.cpo, 0) OR a.credits_pending <> coalesce(s.cpe, 0)
                ORDER BY a.id LIMIT :n""").param("n", ROWS)
                .query(rs -> {
                    problems.add("account " + rs.getString(1) + ": stored balances (debits " + rs.getLong(2) + " posted, " + rs.getLong(4)
                            + " pending; credits " + rs.getLong(6) + " posted, " + rs.getLong(8) + " pending) differ from its transfers (debits "
                            + rs.getBigDecimal(3) + " posted, " + rs.getBigDecimal(5) + " pending; credits " + rs.getBigDecimal(7) + " posted, "
                            + rs.getBigDecimal(9) + " pending)");
                });
        jdbc.sql("""
                SELECT id, flags FROM ledger_balances
                WHERE (flags & 1 <> 0 AND debits_pending::numeric + debits_posted > credits_posted)
                   OR (flags & 2 <> 0 AND credits_pending::numeric + credits_posted > debits_posted)
                ORDER BY id LIMIT :n""").param("n", ROWS)
                .query(rs -> {
                    problems.add("account " + rs.getString(1) + ": past its limit (" + ((rs.getInt(2) & 1) != 0
                            ? "debits exceed credits" : "credits exceed debits") + ")");
                });
        return new LedgerCheck(accounts, transfers, problems);
    }
}
