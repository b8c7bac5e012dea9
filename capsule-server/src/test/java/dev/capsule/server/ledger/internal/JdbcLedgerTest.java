package dev.capsule.server.ledger.internal;

import static dev.capsule.server.ledger.internal.LedgerFixture.EUR;
import static dev.capsule.server.ledger.internal.LedgerFixture.USD;
import static dev.capsule.server.ledger.internal.LedgerFixture.newId;
import static dev.capsule.server.ledger.internal.LedgerFixture.post;
import static dev.capsule.server.ledger.internal.LedgerFixture.transfer;
import static dev.capsule.server.ledger.internal.LedgerFixture.voids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.ledger.Account;
import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.Transfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.testing.server.CapsuleServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every {@link TransferResult} on the real PostgreSQL ledger, each refusal checked to change nothing (no transfer row,
 * both accounts' balances as before); two-phase transfers, linked chains, idempotent retries, expiry; and the account
 * results. {@link #everyTransferResultIsTested()} fails when a result no test produced is added to the enum.
 */
@CapsuleServerTest
class JdbcLedgerTest {
    private static final Set<TransferResult> SEEN = Collections.synchronizedSet(EnumSet.noneOf(TransferResult.class));

    @Autowired
    JdbcLedger ledger;
    @Autowired
    PendingExpiry expiry;
    @Autowired
    TransactionTemplate transactions;

    private LedgerFixture fixture() {
        return new LedgerFixture(ledger);
    }

    private List<TransferResult> create(NewTransfer... transfers) {
        List<TransferResult> results = ledger.createTransfers(List.of(transfers));
        SEEN.addAll(results);
        return results;
    }

    private List<TransferResult> createAt(Instant now, NewTransfer... transfers) {
        List<TransferResult> results = ledger.createTransfers(List.of(transfers), now);
        SEEN.addAll(results);
        return results;
    }

    private Account account(AccountId id) {
        return ledger.account(id).orElseThrow();
    }

    /** The transfer is refused with {@code expected}, is not in the ledger, and neither account changed. */
    private void refused(TransferResult expected, NewTransfer transfer) {
        Optional<Account> debit = ledger.account(transfer.debitAccount());
        Optional<Account> credit = ledger.account(transfer.creditAccount());
        assertThat(create(transfer)).containsExactly(expected);
        assertThat(ledger.transfer(transfer.id())).isEmpty();
        assertThat(ledger.account(transfer.debitAccount())).isEqualTo(debit);
        assertThat(ledger.account(transfer.creditAccount())).isEqualTo(credit);
    }

    @AfterAll
    static void everyTransferResultIsTested() {
        assertThat(SEEN).containsExactlyInAnyOrder(TransferResult.values());
    }

    @Test
    void aTransferMovesTheAmountAndItsRetryAnswersExistsWithoutMovingItAgain() {
        AccountId from = fixture().account(EUR);
        AccountId to = fixture().account(EUR);
        NewTransfer t = transfer(from, to, 250);
        assertThat(create(t)).containsExactly(TransferResult.OK);
        assertThat(create(t)).containsExactly(TransferResult.EXISTS);
        assertThat(account(from).debitsPosted()).isEqualTo(250);
        assertThat(account(to).creditsPosted()).isEqualTo(250);
        assertThat(account(to).creditBalance()).isEqualTo(250);
        Transfer stored = ledger.transfer(t.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(Transfer.State.POSTED);
        assertThat(stored.amount()).isEqualTo(250);
        assertThat(ledger.transfers(to, 10)).extracting(Transfer::id).containsExactly(t.id());
    }

    @Test
    void theSameIdWithOtherFieldsIsRefusedAndTheFirstTransferStands() {
        AccountId from = fixture().account(EUR);
        AccountId to = fixture().account(EUR);
        NewTransfer t = transfer(from, to, 10);
        assertThat(create(t)).containsExactly(TransferResult.OK);
        NewTransfer other = transfer(t.id(), from, to, 11, Optional.empty(), Duration.ZERO);
        assertThat(create(other)).containsExactly(TransferResult.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(account(to).creditsPosted()).isEqualTo(10);
        assertThat(ledger.transfer(t.id()).orElseThrow().amount()).isEqualTo(10);
    }

    @Test
    void aWalletCannotBeOverdrawnAndTheRefusalChangesNothing() {
        AccountId wallet = fixture().wallet(100);
        AccountId merchant = fixture().account(EUR);
        refused(TransferResult.EXCEEDS_CREDITS, transfer(wallet, merchant, 101));
        assertThat(create(transfer(wallet, merchant, 100))).containsExactly(TransferResult.OK);
        assertThat(account(wallet).creditBalance()).isZero();
        refused(TransferResult.EXCEEDS_CREDITS, transfer(wallet, merchant, 1));
    }

    @Test
    void aPendingTransferReservesTheWalletsBalance() {
        AccountId wallet = fixture().wallet(100);
        AccountId merchant = fixture().account(EUR);
        assertThat(create(transfer(wallet, merchant, 60, TransferFlag.PENDING))).containsExactly(TransferResult.OK);
        refused(TransferResult.EXCEEDS_CREDITS, transfer(wallet, merchant, 41));
        assertThat(create(transfer(wallet, merchant, 40))).containsExactly(TransferResult.OK);
    }

    @Test
    void creditsMustNotExceedDebitsIsHeldToo() {
        AccountId limited = fixture().account(EUR, AccountFlag.CREDITS_MUST_NOT_EXCEED_DEBITS);
        AccountId other = fixture().account(EUR);
        refused(TransferResult.EXCEEDS_DEBITS, transfer(other, limited, 1));
        assertThat(create(transfer(limited, other, 5))).containsExactly(TransferResult.OK);
        assertThat(create(transfer(other, limited, 5))).containsExactly(TransferResult.OK);
        refused(TransferResult.EXCEEDS_DEBITS, transfer(other, limited, 1));
    }

    @Test
    void malformedTransfersAreRefusedBeforeAnyAccountIsRead() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        refused(TransferResult.ACCOUNTS_MUST_BE_DIFFERENT, transfer(a, a, 1));
        refused(TransferResult.AMOUNT_MUST_NOT_BE_ZERO, transfer(a, b, 0));
        refused(TransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE, transfer(newId(), a, b, 1, Optional.of(newId()), Duration.ZERO,
                TransferFlag.PENDING, TransferFlag.POST_PENDING_TRANSFER));
        refused(TransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE, transfer(newId(), a, b, 1, Optional.empty(), Duration.ofSeconds(5)));
        refused(TransferResult.PENDING_ID_REQUIRED, transfer(a, b, 0, TransferFlag.POST_PENDING_TRANSFER));
        refused(TransferResult.PENDING_ID_REQUIRED, transfer(a, b, 0, TransferFlag.VOID_PENDING_TRANSFER));
        refused(TransferResult.PENDING_ID_MUST_BE_EMPTY, transfer(newId(), a, b, 1, Optional.of(newId()), Duration.ZERO));
        refused(TransferResult.OVERFLOWS, transfer(newId(), a, b, 1, Optional.empty(), Duration.ofSeconds(TransferBatch.TIMEOUT_SECONDS_MAX + 1),
                TransferFlag.PENDING));
    }

    @Test
    void accountsMustExistBeOpenAndOfTheTransfersLedger() {
        AccountId a = fixture().account(EUR);
        AccountId missing = new AccountId(UUID.randomUUID());
        refused(TransferResult.DEBIT_ACCOUNT_NOT_FOUND, transfer(missing, a, 1));
        refused(TransferResult.CREDIT_ACCOUNT_NOT_FOUND, transfer(a, missing, 1));
        refused(TransferResult.LEDGER_MISMATCH, transfer(a, fixture().account(USD), 1));
        refused(TransferResult.ACCOUNT_CLOSED, transfer(a, fixture().account(EUR, AccountFlag.CLOSED), 1));
        refused(TransferResult.ACCOUNT_CLOSED, transfer(fixture().account(EUR, AccountFlag.CLOSED), a, 1));
    }

    @Test
    void aBalancePastTheSigned64BitRangeOverflows() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        assertThat(create(transfer(a, b, Long.MAX_VALUE))).containsExactly(TransferResult.OK);
        refused(TransferResult.OVERFLOWS, transfer(a, b, 1));
        refused(TransferResult.OVERFLOWS, transfer(fixture().account(EUR), b, 1));
    }

    @Test
    void aPendingTransferPostedInPartMovesThatPartAndReleasesTheRest() {
        AccountId wallet = fixture().wallet(100);
        AccountId merchant = fixture().account(EUR);
        NewTransfer pending = transfer(wallet, merchant, 80, TransferFlag.PENDING);
        assertThat(create(pending)).containsExactly(TransferResult.OK);
        assertThat(account(wallet).debitsPending()).isEqualTo(80);
        refused(TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT, post(pending, 81));
        NewTransfer post = post(pending, 30);
        assertThat(create(post)).containsExactly(TransferResult.OK);
        assertThat(create(post)).containsExactly(TransferResult.EXISTS);
        Account after = account(wallet);
        assertThat(after.debitsPending()).isZero();
        assertThat(after.debitsPosted()).isEqualTo(30);
        assertThat(account(merchant).creditsPosted()).isEqualTo(30);
        assertThat(account(merchant).creditsPending()).isZero();
        assertThat(ledger.transfer(pending.id()).orElseThrow().state()).isEqualTo(Transfer.State.PENDING_POSTED);
        refused(TransferResult.PENDING_TRANSFER_ALREADY_POSTED, post(pending, 10));
        refused(TransferResult.PENDING_TRANSFER_ALREADY_POSTED, voids(pending));
    }

    @Test
    void aPostOfAmountZeroPostsThePendingAmountAndARetryOfItIsExists() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        NewTransfer pending = transfer(a, b, 70, TransferFlag.PENDING);
        NewTransfer post = post(pending, 0);
        assertThat(create(pending, post)).containsExactly(TransferResult.OK, TransferResult.OK);
        assertThat(ledger.transfer(post.id()).orElseThrow().amount()).isEqualTo(70);
        assertThat(create(post)).containsExactly(TransferResult.EXISTS);
        assertThat(account(b).creditsPosted()).isEqualTo(70);
    }

    @Test
    void aVoidReleasesTheReservationAndNothingPostsAfterIt() {
        AccountId wallet = fixture().wallet(50);
        AccountId merchant = fixture().account(EUR);
        NewTransfer pending = transfer(wallet, merchant, 50, TransferFlag.PENDING);
        assertThat(create(pending)).containsExactly(TransferResult.OK);
        NewTransfer partialVoid = transfer(newId(), wallet, merchant, 20, Optional.of(pending.id()), Duration.ZERO, TransferFlag.VOID_PENDING_TRANSFER);
        refused(TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT, partialVoid);
        assertThat(create(voids(pending))).containsExactly(TransferResult.OK);
        assertThat(account(wallet).debitsPending()).isZero();
        assertThat(account(wallet).creditBalance()).isEqualTo(50);
        assertThat(ledger.transfer(pending.id()).orElseThrow().state()).isEqualTo(Transfer.State.PENDING_VOIDED);
        refused(TransferResult.PENDING_TRANSFER_ALREADY_VOIDED, post(pending, 0));
        refused(TransferResult.PENDING_TRANSFER_ALREADY_VOIDED, voids(pending));
    }

    @Test
    void aPostOrVoidMustNameAPendingTransferOfTheSameAccounts() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        NewTransfer plain = transfer(a, b, 5);
        NewTransfer pending = transfer(a, b, 5, TransferFlag.PENDING);
        assertThat(create(plain, pending)).containsExactly(TransferResult.OK, TransferResult.OK);
        refused(TransferResult.PENDING_TRANSFER_NOT_FOUND, transfer(newId(), a, b, 0, Optional.of(newId()), Duration.ZERO, TransferFlag.POST_PENDING_TRANSFER));
        refused(TransferResult.PENDING_TRANSFER_NOT_PENDING, post(plain, 0));
        AccountId c = fixture().account(EUR);
        refused(TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
                transfer(newId(), a, c, 0, Optional.of(pending.id()), Duration.ZERO, TransferFlag.POST_PENDING_TRANSFER));
        refused(TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
                transfer(newId(), b, a, 0, Optional.of(pending.id()), Duration.ZERO, TransferFlag.VOID_PENDING_TRANSFER));
    }

    @Test
    void aPendingTransferExpiresAtItsTimeoutAndTheExpiryJobReleasesItOnce() {
        AccountId wallet = fixture().wallet(40);
        AccountId merchant = fixture().account(EUR);
        Instant start = Instant.now();
        NewTransfer pending = transfer(newId(), wallet, merchant, 40, Optional.empty(), Duration.ofSeconds(60), TransferFlag.PENDING);
        assertThat(createAt(start, pending)).containsExactly(TransferResult.OK);
        assertThat(createAt(start.plusSeconds(59), post(pending, 1))).containsExactly(TransferResult.OK);

        NewTransfer second = transfer(newId(), wallet, merchant, 39, Optional.empty(), Duration.ofSeconds(60), TransferFlag.PENDING);
        assertThat(createAt(start, second)).containsExactly(TransferResult.OK);
        Instant late = start.plusSeconds(60);
        NewTransfer latePost = post(second, 0);
        assertThat(createAt(late, latePost)).containsExactly(TransferResult.PENDING_TRANSFER_EXPIRED);
        assertThat(ledger.transfer(latePost.id())).isEmpty();
        assertThat(account(wallet).debitsPending()).isEqualTo(39);

        assertThat(expiry.expire(late)).isGreaterThanOrEqualTo(1);
        assertThat(expiry.expire(late)).isZero();
        assertThat(account(wallet).debitsPending()).isZero();
        assertThat(account(wallet).creditBalance()).isEqualTo(39);
        assertThat(ledger.transfer(second.id()).orElseThrow().state()).isEqualTo(Transfer.State.PENDING_VOIDED);
        refused(TransferResult.PENDING_TRANSFER_EXPIRED, voids(second));
    }

    @Test
    void aLinkedChainIsAllOrNothing() {
        AccountId wallet = fixture().wallet(100);
        AccountId merchant = fixture().account(EUR);
        AccountId fees = fixture().account(EUR);
        NewTransfer pay = transfer(wallet, merchant, 90, TransferFlag.LINKED);
        NewTransfer fee = transfer(wallet, fees, 20);
        NewTransfer after = transfer(wallet, merchant, 5);
        assertThat(create(pay, fee, after)).containsExactly(TransferResult.LINKED_EVENT_FAILED, TransferResult.EXCEEDS_CREDITS, TransferResult.OK);
        assertThat(ledger.transfer(pay.id())).isEmpty();
        assertThat(ledger.transfer(fee.id())).isEmpty();
        assertThat(account(merchant).creditsPosted()).isEqualTo(5);
        assertThat(account(fees).creditsPosted()).isZero();
        assertThat(account(wallet).debitsPosted()).isEqualTo(5);

        NewTransfer pay2 = transfer(wallet, merchant, 80, TransferFlag.LINKED);
        NewTransfer fee2 = transfer(wallet, fees, 15);
        assertThat(create(pay2, fee2)).containsExactly(TransferResult.OK, TransferResult.OK);
        assertThat(create(pay2, fee2)).containsExactly(TransferResult.EXISTS, TransferResult.EXISTS);
        assertThat(account(wallet).creditBalance()).isZero();
    }

    @Test
    void aFailureInsideAChainUndoesEveryEarlierMemberIncludingAPost() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        NewTransfer pending = transfer(a, b, 30, TransferFlag.PENDING);
        assertThat(create(pending)).containsExactly(TransferResult.OK);
        NewTransfer post = transfer(newId(), a, b, 0, Optional.of(pending.id()), Duration.ZERO, TransferFlag.POST_PENDING_TRANSFER, TransferFlag.LINKED);
        NewTransfer bad = transfer(newId(), a, a, 1, Optional.empty(), Duration.ZERO, TransferFlag.LINKED);
        NewTransfer last = transfer(a, b, 1);
        assertThat(create(post, bad, last)).containsExactly(TransferResult.LINKED_EVENT_FAILED, TransferResult.ACCOUNTS_MUST_BE_DIFFERENT,
                TransferResult.LINKED_EVENT_FAILED);
        assertThat(ledger.transfer(pending.id()).orElseThrow().state()).isEqualTo(Transfer.State.PENDING);
        assertThat(account(a).debitsPending()).isEqualTo(30);
        assertThat(account(a).debitsPosted()).isZero();
        assertThat(create(post(pending, 0))).containsExactly(TransferResult.OK);
    }

    @Test
    void aBatchEndingInsideAChainAppliesNoneOfThatChain() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        NewTransfer first = transfer(a, b, 1);
        NewTransfer second = transfer(a, b, 2, TransferFlag.LINKED);
        NewTransfer third = transfer(a, b, 3, TransferFlag.LINKED);
        assertThat(create(first, second, third)).containsExactly(TransferResult.OK, TransferResult.LINKED_EVENT_FAILED,
                TransferResult.LINKED_EVENT_CHAIN_OPEN);
        assertThat(account(b).creditsPosted()).isEqualTo(1);
    }

    @Test
    void aBatchOverTheLimitIsRefusedWhole() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        List<NewTransfer> tooMany = new ArrayList<>();
        for (int i = 0; i <= Ledger.BATCH_MAX; i++) {
            tooMany.add(transfer(a, b, 1));
        }
        assertThatThrownBy(() -> ledger.createTransfers(tooMany)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThat(account(b).creditsPosted()).isZero();
    }

    @Test
    void createJoinsTheCallersTransactionSoItsRollbackUndoesTheTransfer() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        NewTransfer t = transfer(a, b, 9);
        transactions.executeWithoutResult(status -> {
            assertThat(create(t)).containsExactly(TransferResult.OK);
            status.setRollbackOnly();
        });
        assertThat(ledger.transfer(t.id())).isEmpty();
        assertThat(account(b).creditsPosted()).isZero();
    }

    @Test
    void accountsAreCreatedOnceAndTheirResultsSayWhy() {
        AccountId id = new AccountId(UUID.randomUUID());
        NewAccount account = new NewAccount(id, EUR, 1, Set.of(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS), "wallet");
        assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.OK);
        assertThat(ledger.createAccounts(List.of(account))).containsExactly(AccountResult.EXISTS);
        assertThat(ledger.createAccounts(List.of(new NewAccount(id, EUR, 2, account.flags(), "wallet"))))
                .containsExactly(AccountResult.EXISTS_WITH_DIFFERENT_FIELDS);
        AccountId both = new AccountId(UUID.randomUUID());
        assertThat(ledger.createAccounts(List.of(new NewAccount(both, EUR, 1,
                Set.of(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS, AccountFlag.CREDITS_MUST_NOT_EXCEED_DEBITS), "x"))))
                .containsExactly(AccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE);
        assertThat(ledger.account(both)).isEmpty();
        assertThat(account(id).code()).isEqualTo(1);
    }

    @Test
    void aTransferIdIsAppliedOnceEvenWhenRepeatedInOneBatch() {
        AccountId a = fixture().account(EUR);
        AccountId b = fixture().account(EUR);
        TransferId id = newId();
        NewTransfer t = transfer(id, a, b, 4, Optional.empty(), Duration.ZERO);
        assertThat(create(t, t)).containsExactly(TransferResult.OK, TransferResult.EXISTS);
        assertThat(account(b).creditsPosted()).isEqualTo(4);
    }
}
