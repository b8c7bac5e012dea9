package dev.capsule.server.ledger.internal;

import static dev.capsule.server.ledger.internal.LedgerFixture.EUR;
import static dev.capsule.server.ledger.internal.LedgerFixture.post;
import static dev.capsule.server.ledger.internal.LedgerFixture.transfer;
import static dev.capsule.server.ledger.internal.LedgerFixture.voids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The verifier finds each broken invariant (each break made inside a transaction that is rolled back, so the shared
 * database stays intact), passes on a ledger with every kind of transfer, and the tables refuse edits.
 */
@CapsuleServerTest
class LedgerVerifierTest {
    @Autowired
    JdbcLedger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    private record Pair(AccountId wallet, AccountId merchant) {
    }

    private Pair traffic() {
        LedgerFixture fixture = new LedgerFixture(ledger);
        AccountId wallet = fixture.wallet(500);
        AccountId merchant = fixture.account(EUR);
        NewTransfer posted = transfer(wallet, merchant, 100, TransferFlag.PENDING);
        NewTransfer voided = transfer(wallet, merchant, 50, TransferFlag.PENDING);
        NewTransfer open = transfer(wallet, merchant, 25, TransferFlag.PENDING);
        assertThat(ledger.createTransfers(List.of(posted, voided, open, post(posted, 60), voids(voided), transfer(wallet, merchant, 10))))
                .containsOnly(TransferResult.OK);
        return new Pair(wallet, merchant);
    }

    /** Runs {@code breakIt} and the checks in one transaction that is rolled back. */
    private LedgerCheck brokenBy(Consumer<JdbcClient> breakIt) {
        return transactions.execute(status -> {
            status.setRollbackOnly();
            breakIt.accept(jdbc);
            return verifier.checkInCurrentTransaction();
        });
    }

    @Test
    void aLedgerWithPostedVoidedAndOpenPendingTransfersVerifies() {
        traffic();
        LedgerCheck check = ledger.verify();
        assertThat(check.problems()).isEmpty();
        assertThat(check.ok()).isTrue();
        assertThat(check.transfers()).isGreaterThanOrEqualTo(7);
        assertThat(check.accounts()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aStoredBalanceThatDiffersFromItsTransfersIsFound() {
        Pair pair = traffic();
        LedgerCheck check = brokenBy(db -> db.sql("UPDATE ledger_accounts SET credits_posted = credits_posted + 7 WHERE id = :id")
                .param("id", pair.merchant().value()).update());
        assertThat(check.ok()).isFalse();
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).startsWith("account " + pair.merchant()).contains("differ from its transfers"));
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).startsWith("ledger 978: total debits"));
        assertThat(ledger.verify().ok()).isTrue();
    }

    @Test
    void aPendingBalanceThatDiffersIsFound() {
        Pair pair = traffic();
        LedgerCheck check = brokenBy(db -> db.sql("UPDATE ledger_accounts SET debits_pending = debits_pending - 25 WHERE id = :id")
                .param("id", pair.wallet().value()).update());
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).startsWith("account " + pair.wallet()).contains("25 pending"));
    }

    @Test
    void aTransferBetweenAccountsOfAnotherLedgerIsFound() {
        Pair pair = traffic();
        UUID id = UUID.randomUUID();
        LedgerCheck check = brokenBy(db -> db.sql("""
                INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, ledger, code, flags, timeout_millis, user_data, created_at)
                VALUES (:id, :d, :c, 0, 840, 1, 0, 0, 'x', now())""").param("id", id).param("d", pair.merchant().value())
                .param("c", pair.wallet().value()).update());
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).isEqualTo(
                "transfer " + id + ": not balanced (its accounts, ledger or pending transfer do not match)"));
    }

    @Test
    void anAccountPastItsFlagIsFoundEvenWithoutTheTablesConstraint() {
        Pair pair = traffic();
        LedgerCheck check = brokenBy(db -> {
            db.sql("ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_debits_limit").update();
            db.sql("UPDATE ledger_accounts SET credits_posted = 0 WHERE id = :id").param("id", pair.wallet().value()).update();
        });
        assertThat(check.problems()).anySatisfy(p -> assertThat(p).isEqualTo("account " + pair.wallet() + ": past its limit (debits exceed credits)"));
    }

    @Test
    void theTableRefusesAnOverdraftEvenFromAWriterThatSkipsTheLedger() {
        Pair pair = traffic();
        assertThatThrownBy(() -> jdbc.sql("UPDATE ledger_accounts SET debits_posted = debits_posted + 1000 WHERE id = :id")
                .param("id", pair.wallet().value()).update()).hasMessageContaining("ledger_accounts_debits_limit");
    }

    @Test
    void transfersAndOutcomesAreAppendOnlyAndAnAccountKeepsItsIdentity() {
        Pair pair = traffic();
        for (String statement : List.of("UPDATE ledger_transfers SET amount = amount", "DELETE FROM ledger_transfers",
                "TRUNCATE ledger_transfers CASCADE", "UPDATE ledger_pending_outcomes SET outcome = outcome", "DELETE FROM ledger_pending_outcomes",
                "DELETE FROM ledger_accounts", "TRUNCATE ledger_accounts CASCADE")) {
            assertThatThrownBy(() -> jdbc.sql(statement).update()).as(statement).hasMessageContaining("append-only");
        }
        assertThatThrownBy(() -> jdbc.sql("UPDATE ledger_accounts SET code = 2 WHERE id = :id").param("id", pair.merchant().value()).update())
                .hasMessageContaining("only the balances of an account change");
        assertThat(ledger.verify().ok()).isTrue();
    }
}
