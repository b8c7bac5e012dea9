package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.Account;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.Transfer;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.ledger.TransferResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link Ledger} on PostgreSQL (V90). A transfer batch locks every account it names with one
 * {@code SELECT ... ORDER BY id FOR UPDATE} (so two batches always lock in the same order and cannot deadlock), reads
 * the transfers it names, lets {@link TransferBatch} decide every transfer in memory, then writes the new transfers,
 * the outcomes of the pending transfers it posted or voided, and the changed running balances. All of it runs in the
 * caller's transaction when there is one, else in its own.
 *
 * <p>Security guarantees: the balance-limit flags are checked here under the row locks and again by the table's CHECK
 * constraints; transfers and outcomes are append-only (V90's triggers); a transfer id is the primary key, so it is
 * applied at most once even by two nodes at the same moment (the later insert fails its whole batch, whose retry answers
 * {@code EXISTS} or {@code EXISTS_WITH_DIFFERENT_FIELDS}).
 */
@Component
class JdbcLedger implements Ledger {
    /** Most transfers {@link #transfers(AccountId, int)} returns. */
    public static final int TRANSFERS_PAGE_MAX = 500;
    /** Most accounts {@link #accounts} returns. */
    public static final int ACCOUNTS_PAGE_MAX = 500;

    static final String ACCOUNT_COLUMNS = "id, ledger, code, flags, user_data, debits_pending, debits_posted, credits_pending, credits_posted, created_at";
    private static final String TRANSFER_COLUMNS = """
            t.id, t.debit_account, t.credit_account, t.amount, t.pending_id, t.ledger, t.code, t.flags, t.timeout_millis, t.user_data,
            t.created_at, t.expires_at, o.outcome""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final LedgerVerifier verifier;
    private final Clock clock;

    JdbcLedger(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transactions, LedgerVerifier verifier) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.verifier = verifier;
        this.clock = Clock.systemUTC();
    }

    @Override
    public List<AccountResult> createAccounts(List<NewAccount> accounts) {
        checkBatch(accounts.size());
        Instant now = clock.instant();
        return transactions.execute(status -> {
            List<AccountResult> results = new ArrayList<>(accounts.size());
            for (NewAccount account : accounts) {
                results.add(createAccount(account, now));
            }
            return results;
        });
    }

    private AccountResult createAccount(NewAccount account, Instant now) {
        int flags = LedgerFlags.accountBits(account.flags());
        if (account.flags().contains(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS) && account.flags().contains(AccountFlag.CREDITS_MUST_NOT_EXCEED_DEBITS)) {
            return AccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        int inserted = jdbc.sql("""
                INSERT INTO ledger_accounts (id, ledger, code, flags, user_data, created_at) VALUES (:id, :ledger, :code, :flags, :userData, :now)
                ON CONFLICT (id) DO NOTHING""")
                .param("id", account.id().value()).param("ledger", account.ledger()).param("code", account.code()).param("flags", flags)
                .param("userData", account.userData()).param("now", utc(now)).update();
        if (inserted == 1) {
            return AccountResult.OK;
        }
        Account existing = account(account.id()).orElseThrow();
        return existing.ledger() == account.ledger() && existing.code() == account.code() && existing.flags().equals(account.flags())
                && existing.userData().equals(account.userData()) ? AccountResult.EXISTS : AccountResult.EXISTS_WITH_DIFFERENT_FIELDS;
    }

    @Override
    public List<TransferResult> createTransfers(List<NewTransfer> transfers) {
        return createTransfers(transfers, clock.instant());
    }

    /** As {@link #createTransfers(List)} at {@code now} (tests decide timeouts without waiting for them). */
    List<TransferResult> createTransfers(List<NewTransfer> transfers, Instant at) {
        checkBatch(transfers.size());
        // PostgreSQL keeps microseconds: decide with the instant the row will hold, so a timeout ends where it is stored.
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        if (transfers.isEmpty()) {
            return List.of();
        }
        return transactions.execute(status -> {
            TreeSet<UUID> accountIds = new TreeSet<>();
            List<UUID> transferIds = new ArrayList<>();
            for (NewTransfer t : transfers) {
                accountIds.add(t.debitAccount().value());
                accountIds.add(t.creditAccount().value());
                transferIds.add(t.id().value());
                t.pendingId().ifPresent(id -> transferIds.add(id.value()));
            }
            Map<UUID, TransferBatch.Balance> accounts = lockAccounts(accountIds);
            Map<UUID, TransferBatch.Row> known = new HashMap<>();
            for (TransferBatch.Row row : rows(transferIds)) {
                known.put(row.id, row);
            }
            TransferBatch decided = new TransferBatch(accounts, known, now);
            List<TransferResult> results = decided.decide(transfers);
            write(decided);
            return results;
        });
    }

    /** Locks the accounts in id order (PostgreSQL's uuid order, the same for every batch) and reads their balances. */
    Map<UUID, TransferBatch.Balance> lockAccounts(Collection<UUID> ids) {
        Map<UUID, TransferBatch.Balance> accounts = new HashMap<>();
        jdbc.sql("SELECT id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted FROM ledger_accounts "
                        + "WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
                .param("ids", array(ids))
                .query(rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    accounts.put(id, new TransferBatch.Balance(id, rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                });
        return accounts;
    }

    private List<TransferBatch.Row> rows(Collection<UUID> ids) {
        return jdbc.sql("SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers t LEFT JOIN ledger_pending_outcomes o ON o.pending_id = t.id "
                        + "WHERE t.id = ANY(CAST(:ids AS uuid[]))")
                .param("ids", array(ids)).query((rs, n) -> row(rs)).list();
    }

    private void write(TransferBatch decided) {
        List<Object[]> rows = decided.inserts().stream().map(r -> new Object[] {r.id, r.debit, r.credit, r.amount, r.pendingId, r.ledger, r.code,
                r.flags, r.timeoutMillis, r.userData, utc(r.createdAt), r.expiresAt == null ? null : utc(r.expiresAt)}).toList();
        if (!rows.isEmpty()) {
            batch.batchUpdate("""
                    INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, pending_id, ledger, code, flags, timeout_millis,
                                                  user_data, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        }
        if (!decided.outcomes().isEmpty()) {
            OffsetDateTime now = decided.inserts().isEmpty() ? utc(clock.instant()) : utc(decided.inserts().getFirst().createdAt);
            batch.batchUpdate("INSERT INTO ledger_pending_outcomes (pending_id, outcome, transfer_id, created_at) VALUES (?, ?, ?, ?)",
                    decided.outcomes().stream().map(o -> new Object[] {o.pendingId(), o.outcome(), o.transferId(), now}).toList());
        }
        List<TransferBatch.Balance> changed = decided.changedAccounts();
        if (!changed.isEmpty()) {
            batch.batchUpdate("""
                    UPDATE ledger_accounts SET debits_pending = ?, debits_posted = ?, credits_pending = ?, credits_posted = ? WHERE id = ?""",
                    changed.stream().map(b -> new Object[] {b.debitsPending, b.debitsPosted, b.creditsPending, b.creditsPosted, b.id}).toList());
        }
    }

    @Override
    public Optional<Account> account(AccountId id) {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM ledger_accounts WHERE id = :id").param("id", id.value())
                .query((rs, n) -> account(rs)).optional();
    }

    /** Accounts in id order after {@code after}, of one ledger when given; at most {@link #ACCOUNTS_PAGE_MAX}. */
    public List<Account> accounts(Optional<Integer> ledger, Optional<AccountId> after, int limit) {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM ledger_accounts WHERE (CAST(:ledger AS integer) IS NULL OR ledger = :ledger) "
                        + "AND (CAST(:after AS uuid) IS NULL OR id > :after) ORDER BY id LIMIT :limit")
                .param("ledger", ledger.orElse(null)).param("after", after.map(AccountId::value).orElse(null))
                .param("limit", Math.clamp(limit, 1, ACCOUNTS_PAGE_MAX))
                .query((rs, n) -> account(rs)).list();
    }

    @Override
    public Optional<Transfer> transfer(TransferId id) {
        return rows(List.of(id.value())).stream().findFirst().map(JdbcLedger::transfer);
    }

    @Override
    public List<Transfer> transfers(AccountId account, int limit) {
        int n = Math.clamp(limit, 1, TRANSFERS_PAGE_MAX);
        String from = " FROM ledger_transfers t LEFT JOIN ledger_pending_outcomes o ON o.pending_id = t.id WHERE ";
        return jdbc.sql("SELECT * FROM ((SELECT t.seq, " + TRANSFER_COLUMNS + from + "t.debit_account = :a ORDER BY t.seq DESC LIMIT :n) "
                        + "UNION ALL (SELECT t.seq, " + TRANSFER_COLUMNS + from + "t.credit_account = :a ORDER BY t.seq DESC LIMIT :n)) x "
                        + "ORDER BY seq DESC LIMIT :n")
                .param("a", account.value()).param("n", n)
                .query((rs, i) -> transfer(row(rs))).list();
    }

    @Override
    public LedgerCheck verify() {
        return verifier.verify();
    }

    private static void checkBatch(int size) {
        if (size > BATCH_MAX) {
            throw new IllegalArgumentException("a batch has at most " + BATCH_MAX + " entries, not " + size);
        }
    }

    static Account account(ResultSet rs) throws SQLException {
        return new Account(new AccountId(rs.getObject("id", UUID.class)), rs.getInt("ledger"), rs.getInt("code"),
                LedgerFlags.accountFlags(rs.getInt("flags")), rs.getString("user_data"), rs.getLong("debits_pending"), rs.getLong("debits_posted"),
                rs.getLong("credits_pending"), rs.getLong("credits_posted"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static TransferBatch.Row row(ResultSet rs) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new TransferBatch.Row(rs.getObject("id", UUID.class), rs.getObject("debit_account", UUID.class),
                rs.getObject("credit_account", UUID.class), rs.getLong("amount"), rs.getObject("pending_id", UUID.class), rs.getInt("ledger"),
                rs.getInt("code"), rs.getInt("flags"), rs.getLong("timeout_millis"), rs.getString("user_data"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), expires == null ? null : expires.toInstant(), rs.getString("outcome"));
    }

    private static Transfer transfer(TransferBatch.Row r) {
        Transfer.State state;
        if (!r.has(LedgerFlags.PENDING)) {
            state = Transfer.State.POSTED;
        } else if (r.outcome == null) {
            state = Transfer.State.PENDING;
        } else {
            state = r.outcome.equals("posted") ? Transfer.State.PENDING_POSTED : Transfer.State.PENDING_VOIDED;
        }
        return new Transfer(new TransferId(r.id), new AccountId(r.debit), new AccountId(r.credit), r.amount,
                Optional.ofNullable(r.pendingId).map(TransferId::new), r.ledger, r.code, LedgerFlags.transferFlags(r.flags),
                TransferBatch.timeout(r.timeoutMillis), r.userData, state, r.createdAt);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String array(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }
}
