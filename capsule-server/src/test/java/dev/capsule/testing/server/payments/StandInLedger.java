package dev.capsule.testing.server.payments;

import dev.capsule.server.ledger.Account;
import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.Transfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * TEST-ONLY stand-in for the ledger helper's {@link Ledger} until its branch is merged (then the real bean replaces
 * it: {@link PaymentsStandIns} registers this only when no {@code Ledger} bean exists). The smallest honest subset of
 * TigerBeetle's semantics the payment tests use, on two tables of its own in the test database: accounts with
 * {@code DEBITS_MUST_NOT_EXCEED_CREDITS}, plain, pending, post-pending (partial) and void transfers, idempotent ids,
 * row locks in id order, joins the caller's transaction. No linked chains (refused), no expiry job.
 */
public final class StandInLedger implements Ledger {
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public StandInLedger(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        jdbc.sql("""
                CREATE TABLE IF NOT EXISTS standin_ledger_account (id uuid PRIMARY KEY, ledger int NOT NULL, code int NOT NULL,
                  flags text NOT NULL, user_data text NOT NULL, debits_pending bigint NOT NULL DEFAULT 0, debits_posted bigint NOT NULL DEFAULT 0,
                  credits_pending bigint NOT NULL DEFAULT 0, credits_posted bigint NOT NULL DEFAULT 0, created_at timestamptz NOT NULL)""").update();
        jdbc.sql("""
                CREATE TABLE IF NOT EXISTS standin_ledger_transfer (id uuid PRIMARY KEY, debit uuid NOT NULL, credit uuid NOT NULL,
                  amount bigint NOT NULL, pending_id uuid, ledger int NOT NULL, code int NOT NULL, flags text NOT NULL,
                  timeout_seconds bigint NOT NULL, user_data text NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL)""").update();
    }

    @Override
    public List<AccountResult> createAccounts(List<NewAccount> accounts) {
        return transactions.execute(status -> accounts.stream().map(this::createAccount).toList());
    }

    private AccountResult createAccount(NewAccount account) {
        int inserted = jdbc.sql("INSERT INTO standin_ledger_account (id, ledger, code, flags, user_data, created_at) "
                        + "VALUES (:id, :ledger, :code, :flags, :data, now()) ON CONFLICT (id) DO NOTHING")
                .param("id", account.id().value()).param("ledger", account.ledger()).param("code", account.code())
                .param("flags", flags(account.flags())).param("data", account.userData()).update();
        if (inserted == 1) {
            return AccountResult.OK;
        }
        Account existing = account(account.id()).orElseThrow();
        return existing.ledger() == account.ledger() && existing.code() == account.code() && existing.flags().equals(account.flags())
                ? AccountResult.EXISTS : AccountResult.EXISTS_WITH_DIFFERENT_FIELDS;
    }

    @Override
    public List<TransferResult> createTransfers(List<NewTransfer> transfers) {
        return transactions.execute(status -> {
            List<TransferResult> results = new ArrayList<>();
            for (NewTransfer transfer : transfers) {
                if (transfer.flags().contains(TransferFlag.LINKED)) {
                    throw new UnsupportedOperationException("the stand-in ledger has no linked chains");
                }
                results.add(createTransfer(transfer));
            }
            return results;
        });
    }

    private TransferResult createTransfer(NewTransfer t) {
        Optional<Transfer> existing = transfer(t.id());
        if (existing.isPresent()) {
            Transfer e = existing.get();
            return e.debitAccount().equals(t.debitAccount()) && e.creditAccount().equals(t.creditAccount()) && e.code() == t.code()
                    ? TransferResult.EXISTS : TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
        }
        if (t.debitAccount().equals(t.creditAccount())) {
            return TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        // Row locks in id order, so concurrent transfers cannot deadlock.
        List<UUID> ids = List.of(t.debitAccount().value(), t.creditAccount().value()).stream().sorted().toList();
        jdbc.sql("SELECT id FROM standin_ledger_account WHERE id IN (:ids) ORDER BY id FOR UPDATE").param("ids", ids).query().listOfRows();
        Optional<Account> debit = account(t.debitAccount());
        Optional<Account> credit = account(t.creditAccount());
        if (debit.isEmpty()) {
            return TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
        }
        if (credit.isEmpty()) {
            return TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (debit.get().ledger() != t.ledger() || credit.get().ledger() != t.ledger()) {
            return TransferResult.LEDGER_MISMATCH;
        }
        boolean post = t.flags().contains(TransferFlag.POST_PENDING_TRANSFER);
        boolean voiding = t.flags().contains(TransferFlag.VOID_PENDING_TRANSFER);
        if (post || voiding) {
            Transfer pending = t.pendingId().flatMap(this::transfer).orElse(null);
            if (pending == null) {
                return TransferResult.PENDING_TRANSFER_NOT_FOUND;
            }
            switch (pending.state()) {
                case PENDING_POSTED -> {
                    return TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
                }
                case PENDING_VOIDED -> {
                    return TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
                }
                case POSTED -> {
                    return TransferResult.PENDING_TRANSFER_NOT_PENDING;
                }
                case PENDING -> {
                }
            }
            if (!pending.debitAccount().equals(t.debitAccount()) || !pending.creditAccount().equals(t.creditAccount())) {
                return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
            }
            long amount = post ? (t.amount() == 0 ? pending.amount() : t.amount()) : 0;
            if (amount > pending.amount()) {
                return TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
            move(t.debitAccount(), "debits_pending", -pending.amount());
            move(t.creditAccount(), "credits_pending", -pending.amount());
            move(t.debitAccount(), "debits_posted", amount);
            move(t.creditAccount(), "credits_posted", amount);
            jdbc.sql("UPDATE standin_ledger_transfer SET state = :state WHERE id = :id")
                    .param("state", post ? "PENDING_POSTED" : "PENDING_VOIDED").param("id", pending.id().value()).update();
            insert(t, amount, "POSTED");
            return TransferResult.OK;
        }
        if (t.amount() == 0) {
            return TransferResult.AMOUNT_MUST_NOT_BE_ZERO;
        }
        Account d = debit.get();
        if (d.flags().contains(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS)
                && d.debitsPending() + d.debitsPosted() + t.amount() > d.creditsPosted()) {
            return TransferResult.EXCEEDS_CREDITS;
        }
        boolean pending = t.flags().contains(TransferFlag.PENDING);
        move(t.debitAccount(), pending ? "debits_pending" : "debits_posted", t.amount());
        move(t.creditAccount(), pending ? "credits_pending" : "credits_posted", t.amount());
        insert(t, t.amount(), pending ? "PENDING" : "POSTED");
        return TransferResult.OK;
    }

    private void move(AccountId account, String column, long amount) {
        jdbc.sql("UPDATE standin_ledger_account SET " + column + " = " + column + " + :amount WHERE id = :id")
                .param("amount", amount).param("id", account.value()).update();
    }

    private void insert(NewTransfer t, long amount, String state) {
        jdbc.sql("INSERT INTO standin_ledger_transfer (id, debit, credit, amount, pending_id, ledger, code, flags, timeout_seconds, "
                        + "user_data, state, created_at) VALUES (:id, :debit, :credit, :amount, :pending, :ledger, :code, :flags, :timeout, "
                        + ":data, :state, now())")
                .param("id", t.id().value()).param("debit", t.debitAccount().value()).param("credit", t.creditAccount().value())
                .param("amount", amount).param("pending", t.pendingId().map(TransferId::value).orElse(null))
                .param("ledger", t.ledger()).param("code", t.code()).param("flags", transferFlags(t.flags()))
                .param("timeout", t.timeout().toSeconds()).param("data", t.userData()).param("state", state).update();
    }

    @Override
    public Optional<Account> account(AccountId id) {
        return jdbc.sql("SELECT * FROM standin_ledger_account WHERE id = :id").param("id", id.value()).query(StandInLedger::accountOf).optional();
    }

    @Override
    public Optional<Transfer> transfer(TransferId id) {
        return jdbc.sql("SELECT * FROM standin_ledger_transfer WHERE id = :id").param("id", id.value()).query(StandInLedger::transferOf).optional();
    }

    @Override
    public List<Transfer> transfers(AccountId account, int limit) {
        return jdbc.sql("SELECT * FROM standin_ledger_transfer WHERE debit = :a OR credit = :a ORDER BY created_at DESC LIMIT :limit")
                .param("a", account.value()).param("limit", Math.min(limit, 500)).query(StandInLedger::transferOf).list();
    }

    @Override
    public LedgerCheck verify() {
        List<String> problems = new ArrayList<>(jdbc.sql("""
                SELECT 'ledger ' || ledger || ': debits ' || SUM(debits_posted) || ' != credits ' || SUM(credits_posted)
                FROM standin_ledger_account GROUP BY ledger HAVING SUM(debits_posted) <> SUM(credits_posted)""").query(String.class).list());
        problems.addAll(jdbc.sql("""
                SELECT 'account ' || id || ' overdrawn' FROM standin_ledger_account
                WHERE flags LIKE '%DEBITS_MUST_NOT_EXCEED_CREDITS%' AND debits_posted + debits_pending > credits_posted""")
                .query(String.class).list());
        long accounts = jdbc.sql("SELECT count(*) FROM standin_ledger_account").query(Long.class).single();
        long transfers = jdbc.sql("SELECT count(*) FROM standin_ledger_transfer").query(Long.class).single();
        return new LedgerCheck(accounts, transfers, problems);
    }

    private static String flags(Set<AccountFlag> flags) {
        return flags.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static String transferFlags(Set<TransferFlag> flags) {
        return flags.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static Account accountOf(ResultSet row, int n) throws SQLException {
        String flags = row.getString("flags");
        Set<AccountFlag> parsed = flags.isEmpty() ? Set.of() : EnumSet.copyOf(Arrays.stream(flags.split(",")).map(AccountFlag::valueOf).toList());
        return new Account(new AccountId(row.getObject("id", UUID.class)), row.getInt("ledger"), row.getInt("code"), parsed,
                row.getString("user_data"), row.getLong("debits_pending"), row.getLong("debits_posted"), row.getLong("credits_pending"),
                row.getLong("credits_posted"), row.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Transfer transferOf(ResultSet row, int n) throws SQLException {
        String flags = row.getString("flags");
        Set<TransferFlag> parsed = flags.isEmpty() ? Set.of() : EnumSet.copyOf(Arrays.stream(flags.split(",")).map(TransferFlag::valueOf).toList());
        UUID pending = row.getObject("pending_id", UUID.class);
        return new Transfer(new TransferId(row.getObject("id", UUID.class)), new AccountId(row.getObject("debit", UUID.class)),
                new AccountId(row.getObject("credit", UUID.class)), row.getLong("amount"),
                Optional.ofNullable(pending).map(TransferId::new), row.getInt("ledger"), row.getInt("code"), parsed,
                Duration.ofSeconds(row.getLong("timeout_seconds")), row.getString("user_data"),
                Transfer.State.valueOf(row.getString("state")), row.getObject("created_at", OffsetDateTime.class).atZoneSameInstant(ZoneOffset.UTC).toInstant());
    }
}
