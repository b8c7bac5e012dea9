package dev.capsule.server.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The daily statement is made once per day however many nodes try at the same moment, lands in the audit log with
 * it, and counts exactly the transfers created before the day's end.
 */
@CapsuleServerTest
class DailyStatementTest {
    /** A ledger of its own (not a currency), so other tests' transfers never enter its totals. */
    private static final int LEDGER = 999;
    private static final LocalDate DAY = LocalDate.of(2999, 12, 30);

    @Autowired
    DailyStatement statement;
    @Autowired
    JdbcLedger ledger;
    @Autowired
    JdbcClient jdbc;

    private AccountId account() {
        AccountId id = new AccountId(UUID.randomUUID());
        assertThat(ledger.createAccounts(List.of(new NewAccount(id, LEDGER, 1, Set.of(), "statement")))).containsExactly(AccountResult.OK);
        return id;
    }

    @Test
    void concurrentNodesMakeOneStatementPerDayInTheAuditLogCountingOnlyTheDaysTransfers() throws Exception {
        AccountId a = account();
        AccountId b = account();
        NewTransfer inDay = new NewTransfer(new TransferId(UUID.randomUUID()), a, b, 120, Optional.empty(), LEDGER, 1, Set.of(), Duration.ZERO, "s");
        NewTransfer nextDay = new NewTransfer(new TransferId(UUID.randomUUID()), b, a, 5, Optional.empty(), LEDGER, 1, Set.of(), Duration.ZERO, "s");
        assertThat(ledger.createTransfers(List.of(inDay))).containsExactly(TransferResult.OK);
        Instant afterTheDay = DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(ledger.createTransfers(List.of(nextDay), afterTheDay)).containsExactly(TransferResult.OK);

        int nodes = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<Future<Boolean>> made = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                Callable<Boolean> node = () -> {
                    start.await();
                    return statement.publish(DAY);
                };
                made.add(pool.submit(node));
            }
            start.countDown();
            int count = 0;
            for (Future<Boolean> f : made) {
                count += f.get() ? 1 : 0;
            }
            assertThat(count).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(statement.publish(DAY)).isFalse();
        String detail = statement.statement(DAY).orElseThrow();
        assertThat(detail).startsWith("day=2999-12-30 accounts=").containsPattern("digest=sha256:[0-9a-f]{64}")
                .contains(" ledger=999:accounts=2,debits=120,credits=120");
        var entries = AuditEvents.where(jdbc, e -> "ledger.statement".equals(AuditEvents.text(e, "type"))
                && AuditEvents.text(e, "detail").startsWith("day=2999-12-30 "));
        assertThat(entries).hasSize(1);
        assertThat(AuditEvents.text(entries.getFirst(), "outcome")).isEqualToIgnoringCase("success");
    }
}
