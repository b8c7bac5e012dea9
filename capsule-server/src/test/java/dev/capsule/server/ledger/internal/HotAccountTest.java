package dev.capsule.server.ledger.internal;

import static dev.capsule.server.ledger.internal.LedgerFixture.EUR;
import static dev.capsule.server.ledger.internal.LedgerFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hot accounts (V102, docs/payments.md "Hot accounts"): a side of a plain transfer that no limit flag checks is a
 * delta, not a row update, so concurrent credits to one merchant never wait for each other, while a limited side
 * still locks; balances, the verifier, a fold and a debit after credits all see the same sums.
 */
@CapsuleServerTest
class HotAccountTest {
    /** How long a transfer that must not wait may take while another transaction holds its accounts. */
    private static final long UNBLOCKED_SECONDS = 10;
    /** How long a transfer that must wait is watched still waiting. */
    private static final long BLOCKED_MILLIS = 1_500;

    @Autowired
    JdbcLedger ledger;
    @Autowired
    BalanceDeltas deltas;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    /** Its own threads: the common pool has one thread on a 2-core machine, and the open transaction holds it. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private LedgerFixture fixture() {
        return new LedgerFixture(ledger);
    }

    private long deltaRows(AccountId account) {
        return jdbc.sql("SELECT count(*) FROM ledger_balance_deltas WHERE account_id = :a").param("a", account.value()).query(Long.class).single();
    }

    private long rowCredits(AccountId account) {
        return jdbc.sql("SELECT credits_posted FROM ledger_accounts WHERE id = :a").param("a", account.value()).query(Long.class).single();
    }

    @Test
    void anUnlimitedCreditIsADeltaThatBalancesAndTheVerifierCountAndLockingFoldsIntoTheRow() {
        AccountId source = fixture().account(EUR);
        AccountId merchant = fixture().account(EUR);
        // Inspected before commit: the background fold only takes committed deltas.
        transactions.executeWithoutResult(status -> {
            assertThat(ledger.createTransfers(List.of(transfer(source, merchant, 70), transfer(source, merchant, 30))))
                    .containsExactly(TransferResult.OK, TransferResult.OK);
            assertThat(deltaRows(merchant)).as("one delta per account and batch").isEqualTo(1);
            assertThat(rowCredits(merchant)).isZero();
        });
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(100);
        assertThat(ledger.account(source).orElseThrow().debitsPosted()).isEqualTo(100);
        assertThat(ledger.verify().problems()).isEmpty();

        transactions.executeWithoutResult(status -> ledger.lockAccounts(List.of(merchant.value())));
        assertThat(deltaRows(merchant)).isZero();
        assertThat(rowCredits(merchant)).isEqualTo(100);
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(100);
        assertThat(ledger.verify().problems()).isEmpty();
    }

    @Test
    void aLimitedDebitFoldsTheCreditsItMaySpendAndRefusesOneMinorUnitMore() {
        AccountId wallet = fixture().wallet(100);
        AccountId shop = fixture().account(EUR);
        assertThat(ledger.createTransfers(List.of(transfer(wallet, shop, 101)))).containsExactly(TransferResult.EXCEEDS_CREDITS);
        assertThat(deltaRows(wallet)).as("locking the wallet folded its credit").isZero();
        assertThat(rowCredits(wallet)).isEqualTo(100);
        assertThat(ledger.createTransfers(List.of(transfer(wallet, shop, 100)))).containsExactly(TransferResult.OK);
        assertThat(ledger.account(wallet).orElseThrow().creditBalance()).isZero();
        assertThat(ledger.verify().problems()).isEmpty();
    }

    @Test
    void creditsToOneAccountDoNotWaitForEachOtherButDebitsOfOneWalletDo() throws Exception {
        AccountId merchant = fixture().account(EUR);
        AccountId walletA = fixture().wallet(50);
        AccountId walletB = fixture().wallet(50);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A transaction pays the merchant from wallet A and stays open.
        CompletableFuture<Void> open = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            assertThat(ledger.createTransfers(List.of(transfer(walletA, merchant, 10)))).containsExactly(TransferResult.OK);
            held.countDown();
            await(release);
        }), threads);
        assertThat(held.await(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).isTrue();
        try {
            // Another payment to the same merchant from another wallet commits meanwhile.
            assertThat(CompletableFuture.supplyAsync(() -> ledger.createTransfers(List.of(transfer(walletB, merchant, 20))), threads)
                    .get(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).containsExactly(TransferResult.OK);
            // A second debit of wallet A waits for the first (its limit is decided under the row lock).
            CompletableFuture<List<TransferResult>> second = CompletableFuture.supplyAsync(
                    () -> ledger.createTransfers(List.of(transfer(walletA, merchant, 45))), threads);
            assertThatWaits(second);
            release.countDown();
            open.get(UNBLOCKED_SECONDS, TimeUnit.SECONDS);
            assertThat(second.get(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).containsExactly(TransferResult.EXCEEDS_CREDITS);
        } finally {
            release.countDown();
        }
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(30);
        assertThat(ledger.verify().problems()).isEmpty();
    }

    @Test
    void twoConcurrentBatchesWithOneTransferIdBetweenUnlockedAccountsApplyItOnceAndAnswerExists() throws Exception {
        AccountId clearing = fixture().account(EUR);
        AccountId merchant = fixture().account(EUR);
        NewTransfer payment = transfer(clearing, merchant, 40);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<TransferResult>> first = CompletableFuture.supplyAsync(() -> transactions.execute(status -> {
            List<TransferResult> results = ledger.createTransfers(List.of(payment));
            held.countDown();
            await(release);
            return results;
        }), threads);
        assertThat(held.await(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<TransferResult>> retry = CompletableFuture.supplyAsync(() -> ledger.createTransfers(List.of(payment)), threads);
        assertThatWaits(retry);
        release.countDown();
        assertThat(first.get(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).containsExactly(TransferResult.OK);
        assertThat(retry.get(UNBLOCKED_SECONDS, TimeUnit.SECONDS)).containsExactly(TransferResult.EXISTS);
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(40);
    }

    @Test
    void anAccountCreatedInATransactionThatRolledBackIsCreatedAgainNotRememberedAsExisting() {
        NewAccount account = new NewAccount(new AccountId(UUID.randomUUID()), EUR, LedgerFixture.CODE, Set.of(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS), "test");
        transactions.executeWithoutResult(status -> {
            assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.OK);
            assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.EXISTS);
            status.setRollbackOnly();
        });
        assertThat(ledger.account(account.id())).isEmpty();
        assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.OK);
        assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.EXISTS);
        NewAccount other = new NewAccount(account.id(), EUR, LedgerFixture.CODE, Set.of(), "test");
        assertThat(ledger.createAccounts(List.of(other))).containsExactly(AccountResult.EXISTS_WITH_DIFFERENT_FIELDS);
    }

    @Test
    void aCreditThatCouldBringAnAccountNearOverflowingLocksItAndIsWrittenToTheRow() {
        AccountId source = fixture().account(EUR);
        AccountId merchant = fixture().account(EUR);
        transactions.executeWithoutResult(status -> {
            assertThat(ledger.createTransfers(List.of(transfer(source, merchant, TransferBatch.UNLOCKED_AMOUNT_MAX + 1))))
                    .containsExactly(TransferResult.OK);
            assertThat(deltaRows(merchant)).as("a large amount is decided under the lock").isZero();
            assertThat(rowCredits(merchant)).isEqualTo(TransferBatch.UNLOCKED_AMOUNT_MAX + 1);
        });
        transactions.executeWithoutResult(status -> {
            assertThat(ledger.createTransfers(List.of(transfer(source, merchant, 1)))).containsExactly(TransferResult.OK);
            assertThat(deltaRows(merchant)).as("a small one far from the limit is a delta").isEqualTo(1);
        });
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(TransferBatch.UNLOCKED_AMOUNT_MAX + 2);
    }

    @Test
    void theBackgroundFoldEmptiesTheDeltasOfAccountsNobodyHolds() {
        AccountId source = fixture().account(EUR);
        AccountId merchant = fixture().account(EUR);
        transactions.executeWithoutResult(status -> {
            assertThat(ledger.createTransfers(List.of(transfer(source, merchant, 5)))).containsExactly(TransferResult.OK);
            assertThat(deltaRows(merchant)).isEqualTo(1);
        });
        deltas.foldIdle();
        assertThat(deltaRows(merchant)).isZero();
        assertThat(deltaRows(source)).isZero();
        assertThat(ledger.account(merchant).orElseThrow().creditsPosted()).isEqualTo(5);
        assertThat(ledger.account(source).orElseThrow().debitsPosted()).isEqualTo(5);
    }

    @Test
    void theBackgroundFoldRunsEveryIntervalWhileDeltasArriveAndOnceASecondWhenIdle() {
        int[] found = {3};
        List<Integer> runs = new java.util.ArrayList<>();
        BalanceDeltas scripted = new BalanceDeltas(jdbc, transactions) {
            @Override
            int foldIdle() {
                runs.add(found[0]);
                return found[0];
            }
        };
        scripted.scheduled();
        scripted.scheduled();
        assertThat(runs).as("busy: every run folds").hasSize(2);
        found[0] = 0;
        scripted.scheduled();
        assertThat(runs).hasSize(3);
        for (int i = 0; i < BalanceDeltas.IDLE_RUNS_SKIPPED; i++) {
            scripted.scheduled();
        }
        assertThat(runs).as("idle: the next runs are skipped").hasSize(3);
        scripted.scheduled();
        assertThat(runs).as("then it looks again").hasSize(4);
        assertThat(BalanceDeltas.FOLD_INTERVAL_MILLIS * (BalanceDeltas.IDLE_RUNS_SKIPPED + 1)).isEqualTo(1_000);
    }

    private static void assertThatWaits(CompletableFuture<?> future) throws Exception {
        try {
            future.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected it to wait for the open transaction, but it finished");
        } catch (TimeoutException expected) {
            // still waiting, as it must
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the open transaction");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
