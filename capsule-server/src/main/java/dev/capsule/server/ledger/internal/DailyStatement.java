package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.LedgerEvent;
import dev.capsule.server.platform.ServerConsole;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily balance statement: for each UTC day, once across all nodes, the posted balances as of the day's end (every
 * transfer created before midnight UTC): per ledger the number of accounts and the total debits and credits, and a
 * SHA-256 digest over every account's (ledger, id, debits posted, credits posted) in (ledger, id) order. It is stored in
 * {@code ledger_statements} (one row per day, the primary key decides which node writes it) and appended to the audit
 * log as a {@link LedgerEvent.What#STATEMENT} in the same transaction, so it is in the log exactly when the row exists.
 * Every node checks every {@link #INTERVAL_MILLIS}; the statement of a day is made once {@link #SETTLE} has passed after
 * its end, so transfers stamped just before midnight have committed.
 */
@Component
@ConditionalOnProperty(name = ServerConsole.CONSOLE_PROPERTY, havingValue = "false", matchIfMissing = true)
class DailyStatement {
    static final long INTERVAL_MILLIS = 10 * 60 * 1000;
    static final Duration SETTLE = Duration.ofMinutes(5);
    /** Ledgers listed by name in the statement's text (the digest covers them all). */
    static final int LEDGERS_LISTED_MAX = 50;
    private static final Logger log = LoggerFactory.getLogger(DailyStatement.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher publisher;

    DailyStatement(JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.publisher = publisher;
    }

    @Scheduled(initialDelay = 60_000, fixedDelay = INTERVAL_MILLIS)
    void run() {
        try {
            publish(LocalDate.ofInstant(Instant.now().minus(SETTLE), ZoneOffset.UTC).minusDays(1));
        } catch (RuntimeException e) {
            log.warn("the daily ledger statement failed; the next run retries: {}", e.getMessage());
        }
    }

    /** Makes the statement of {@code day} unless some node has; whether this call made it. */
    boolean publish(LocalDate day) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            if (statement(day).isPresent()) {
                return false;
            }
            String detail = compute(day);
            int inserted = jdbc.sql("INSERT INTO ledger_statements (day, detail, created_at) VALUES (:day, :detail, now()) ON CONFLICT (day) DO NOTHING")
                    .param("day", day).param("detail", detail).update();
            if (inserted == 0) {
                return false;
            }
            publisher.publishEvent(new LedgerEvent(LedgerEvent.What.STATEMENT, "success", detail, Optional.empty()));
            return true;
        }));
    }

    Optional<String> statement(LocalDate day) {
        return jdbc.sql("SELECT detail FROM ledger_statements WHERE day = :day").param("day", day).query(String.class).optional();
    }

    private record Totals(long accounts, BigInteger debits, BigInteger credits) {
    }

    private String compute(LocalDate day) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<Integer, Totals> ledgers = new TreeMap<>();
        long[] accounts = {0};
        jdbc.sql("""
                WITH moves AS (
                    SELECT debit_account AS account, amount AS debits, 0 AS credits FROM ledger_transfers
                    WHERE created_at < :end AND flags & 10 = 0
                    UNION ALL
                    SELECT credit_account, 0, amount FROM ledger_transfers WHERE created_at < :end AND flags & 10 = 0)
                SELECT a.ledger, a.id, coalesce(sum(m.debits), 0), coalesce(sum(m.credits), 0)
                FROM ledger_accounts a LEFT JOIN moves m ON m.account = a.id
                WHERE a.created_at < :end GROUP BY a.ledger, a.id ORDER BY a.ledger, a.id""")
                .param("end", JdbcLedger.utc(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query(rs -> {
                    int ledger = rs.getInt(1);
                    BigInteger debits = rs.getBigDecimal(3).toBigIntegerExact();
                    BigInteger credits = rs.getBigDecimal(4).toBigIntegerExact();
                    digest.update((ledger + "," + rs.getString(2) + "," + debits + "," + credits + "\n").getBytes(StandardCharsets.US_ASCII));
                    accounts[0]++;
                    ledgers.merge(ledger, new Totals(1, debits, credits),
                            (a, b) -> new Totals(a.accounts() + b.accounts(), a.debits().add(b.debits()), a.credits().add(b.credits())));
                });
        StringBuilder text = new StringBuilder("day=" + day + " accounts=" + accounts[0] + " ledgers=" + ledgers.size() + " digest=sha256:"
                + HexFormat.of().formatHex(digest.digest()));
        int listed = 0;
        for (Map.Entry<Integer, Totals> entry : ledgers.entrySet()) {
            if (listed++ == LEDGERS_LISTED_MAX) {
                text.append(" ...");
                break;
            }
            Totals t = entry.getValue();
            text.append(" ledger=").append(entry.getKey()).append(":accounts=").append(t.accounts()).append(",debits=").append(t.debits())
                    .append(",credits=").append(t.credits());
        }
        return text.toString();
    }
}
