package dev.capsule.server.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Accounts and transfers for the ledger's tests: fresh random ids each, so tests sharing one database never meet. */
final class LedgerFixture {
    static final int EUR = 978;
    static final int USD = 840;
    static final int CODE = 1;

    private final Ledger ledger;

    LedgerFixture(Ledger ledger) {
        this.ledger = ledger;
    }

    AccountId account(int ledgerCode, AccountFlag... flags) {
        AccountId id = new AccountId(UUID.randomUUID());
        Set<AccountFlag> set = flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags);
        assertThat(ledger.createAccounts(List.of(new NewAccount(id, ledgerCode, CODE, set, "test")))).containsExactly(AccountResult.OK);
        return id;
    }

    /** A wallet (debits must not exceed credits) funded with {@code balance} from a fresh funding account. */
    AccountId wallet(long balance) {
        AccountId wallet = account(EUR, AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS);
        if (balance > 0) {
            assertThat(ledger.createTransfers(List.of(transfer(account(EUR), wallet, balance)))).containsExactly(TransferResult.OK);
        }
        return wallet;
    }

    static TransferId newId() {
        return new TransferId(UUID.randomUUID());
    }

    static NewTransfer transfer(AccountId debit, AccountId credit, long amount, TransferFlag... flags) {
        return transfer(newId(), debit, credit, amount, Optional.empty(), Duration.ZERO, flags);
    }

    static NewTransfer transfer(TransferId id, AccountId debit, AccountId credit, long amount, Optional<TransferId> pending, Duration timeout,
            TransferFlag... flags) {
        Set<TransferFlag> set = flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags);
        return new NewTransfer(id, debit, credit, amount, pending, EUR, CODE, set, timeout, "test");
    }

    static NewTransfer post(NewTransfer pending, long amount) {
        return transfer(newId(), pending.debitAccount(), pending.creditAccount(), amount, Optional.of(pending.id()), Duration.ZERO,
                TransferFlag.POST_PENDING_TRANSFER);
    }

    static NewTransfer voids(NewTransfer pending) {
        return transfer(newId(), pending.debitAccount(), pending.creditAccount(), 0, Optional.of(pending.id()), Duration.ZERO,
                TransferFlag.VOID_PENDING_TRANSFER);
    }
}
