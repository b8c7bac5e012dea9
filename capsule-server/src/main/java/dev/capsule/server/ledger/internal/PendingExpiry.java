package dev.capsule.server.ledger.internal;

import dev.capsule.server.platform.ServerConsole;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Voids pending transfers whose timeout has passed (TigerBeetle's expiry): every node, every {@link #INTERVAL_MILLIS},
 * at most {@link #EXPIRIES_PER_RUN_MAX} per run. It locks the accounts in id order like a transfer batch and writes the
 * {@code expired} outcome with {@code ON CONFLICT DO NOTHING}, so a post or void that won the race, or another node's
 * run, leaves nothing for it to do. Until it runs, an expired transfer still reserves its amount, but a post or void of
 * it already answers {@code PENDING_TRANSFER_EXPIRED}.
 *
 * <p>Each node remembers up to where it has expired everything (less {@link #RESCAN_MARGIN}, for a transfer whose
 * transaction committed late), so a run reads the timeouts since then, not every timeout in history; after a restart
 * the first run reads them all once.
 */
@Component
@ConditionalOnProperty(name = ServerConsole.CONSOLE_PROPERTY, havingValue = "false", matchIfMissing = true)
class PendingExpiry {
    static final long INTERVAL_MILLIS = 5_000;
    /** Pending transfers expired per run: a run's work and lock time are bounded; the next run takes the rest. */
    static final int EXPIRIES_PER_RUN_MAX = 100;
    /** How far back each run looks again before the point up to which this node already expired everything. */
    static final java.time.Duration RESCAN_MARGIN = java.time.Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(PendingExpiry.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JdbcLedger ledger;
    /** Every pending transfer that timed out before this instant has an outcome (as far as this node knows). */
    private volatile Instant doneBefore = Instant.EPOCH;

    PendingExpiry(JdbcClient jdbc, TransactionTemplate transactions, JdbcLedger ledger) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ledger = ledger;
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void run() {
        try {
            Instant now = Instant.now();
            if (pass(now).due() < EXPIRIES_PER_RUN_MAX) {
                // Everything due by now was in this run (now committed) or already had an outcome.
                doneBefore = now;
            }
        } catch (RuntimeException e) {
            log.warn("expiring pending ledger transfers failed; the next run retries: {}", e.getMessage());
        }
    }

    record Expiring(UUID id, UUID debit, UUID credit, long amount) {
    }

    /** One run: how many pending transfers were due (at most {@link #EXPIRIES_PER_RUN_MAX}) and how many this run expired. */
    record Pass(int due, int expired) {
    }

    /** Expires up to {@link #EXPIRIES_PER_RUN_MAX} pending transfers whose timeout ended by {@code now}; how many it did. */
    int expire(Instant at) {
        return pass(at).expired();
    }

    private Pass pass(Instant at) {
        Instant now = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return transactions.execute(status -> {
            List<Expiring> due = jdbc.sql("""
                    SELECT t.id, t.debit_account, t.credit_account, t.amount FROM ledger_transfers t
                    WHERE t.expires_at > :from AND t.expires_at <= :now AND NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = t.id)
                    ORDER BY t.expires_at LIMIT :n""")
                    .param("from", JdbcLedger.utc(doneBefore.minus(RESCAN_MARGIN))).param("now", JdbcLedger.utc(now))
                    .param("n", EXPIRIES_PER_RUN_MAX)
                    .query((rs, n) -> new Expiring(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getLong(4)))
                    .list();
            if (due.isEmpty()) {
                return new Pass(0, 0);
            }
            TreeSet<UUID> accounts = new TreeSet<>();
            due.forEach(e -> {
                accounts.add(e.debit());
                accounts.add(e.credit());
            });
            ledger.lockAccounts(accounts);
            int expired = 0;
            for (Expiring e : due) {
                int inserted = jdbc.sql("""
                        INSERT INTO ledger_pending_outcomes (pending_id, outcome, transfer_id, created_at) VALUES (:id, 'expired', NULL, :now)
                        ON CONFLICT (pending_id) DO NOTHING""").param("id", e.id()).param("now", JdbcLedger.utc(now)).update();
                if (inserted == 1) {
                    jdbc.sql("UPDATE ledger_accounts SET debits_pending = debits_pending - :amount WHERE id = :id")
                            .param("amount", e.amount()).param("id", e.debit()).update();
                    jdbc.sql("UPDATE ledger_accounts SET credits_pending = credits_pending - :amount WHERE id = :id")
                            .param("amount", e.amount()).param("id", e.credit()).update();
                    expired++;
                }
            }
            return new Pass(due.size(), expired);
        });
    }
}
