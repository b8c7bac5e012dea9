package dev.capsule.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The ledger's concurrency proof on the real PostgreSQL: 1,000 transfers of random amounts start at once against one
 * wallet holding less than they ask for in total. The wallet is never overdrawn (checked by a reader throughout, and by
 * the final balance), exactly the amounts of the successful transfers left it, each refusal is {@code EXCEEDS_CREDITS}
 * of an amount the wallet could not have paid, and the ledger verifies afterwards.
 */
@CapsuleServerTest
class LedgerConcurrencyTest {
    private static final int EUR = 978;
    private static final int TRANSFERS = 1_000;
    private static final int THREADS = 32;
    private static final long FUNDED = 2_000;

    @Autowired
    Ledger ledger;

    private AccountId account(AccountFlag... flags) {
        AccountId id = new AccountId(UUID.randomUUID());
        assertThat(ledger.createAccounts(List.of(new NewAccount(id, EUR, 1, Set.of(flags), "concurrency")))).containsExactly(AccountResult.OK);
        return id;
    }

    private static NewTransfer transfer(AccountId debit, AccountId credit, long amount) {
        return new NewTransfer(new TransferId(UUID.randomUUID()), debit, credit, amount, Optional.empty(), EUR, 1, Set.of(), Duration.ZERO, "c");
    }

    @Test
    void oneThousandConcurrentTransfersNeverOverdrawOneWallet() throws Exception {
        AccountId funding = account();
        AccountId wallet = account(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS);
        AccountId merchant = account();
        assertThat(ledger.createTransfers(List.of(transfer(funding, wallet, FUNDED)))).containsExactly(TransferResult.OK);

        Random random = new Random(16);
        List<NewTransfer> transfers = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            transfers.add(transfer(wallet, merchant, 1 + random.nextInt(9)));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            Future<?> reader = pool.submit(() -> {
                while (running.get()) {
                    Account now = ledger.account(wallet).orElseThrow();
                    lowest.accumulateAndGet(now.creditsPosted() - now.debitsPosted() - now.debitsPending(), Math::min);
                }
            });
            List<Future<TransferResult>> results = new ArrayList<>();
            for (NewTransfer t : transfers) {
                results.add(pool.submit(() -> {
                    start.await();
                    return ledger.createTransfers(List.of(t)).getFirst();
                }));
            }
            start.countDown();
            long paid = 0;
            long smallestRefused = Long.MAX_VALUE;
            int ok = 0;
            for (int i = 0; i < TRANSFERS; i++) {
                TransferResult result = results.get(i).get();
                assertThat(result).isIn(TransferResult.OK, TransferResult.EXCEEDS_CREDITS);
                if (result == TransferResult.OK) {
                    ok++;
                    paid += transfers.get(i).amount();
                } else {
                    smallestRefused = Math.min(smallestRefused, transfers.get(i).amount());
                }
            }
            running.set(false);
            reader.get();

            Account after = ledger.account(wallet).orElseThrow();
            assertThat(ok).isBetween(1, TRANSFERS - 1);
            assertThat(after.debitsPosted()).isEqualTo(paid);
            assertThat(after.creditBalance()).isEqualTo(FUNDED - paid).isNotNegative();
            assertThat(after.creditBalance()).isLessThan(smallestRefused);
            assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(paid);
            assertThat(ledger.transfers(merchant, 500)).hasSize(Math.min(ok, 500));
            assertThat(lowest.get()).isNotNegative();
            assertThat(ledger.verify().problems()).isEmpty();
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }
}
