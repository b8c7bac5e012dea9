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
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link Ledger} on PostgreSQL (V90, V102). A transfer batch takes an advisory lock per transfer id it names, reads
 * the accounts it names, and locks ({@code SELECT ... ORDER BY id FOR NO KEY UPDATE}, so two batches always lock in the
 * same order and cannot deadlock) only those whose balances decide something: both accounts of a pending, post or void
 * transfer, and a side of a plain transfer that the account's limit flag checks (a wallet's debit). It folds the locked
 * accounts' deltas into their rows, reads the transfers it names, lets {@link TransferBatch} decide every transfer in
 * memory, then writes the new transfers, the outcomes of the pending transfers it posted or voided, the locked
 * accounts' new balances, and a delta row for each unlocked side it changed (a merchant's credit: docs/payments.md "Hot
 * accounts"). All of it runs in the caller's transaction when there is one, else in its own.
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

    /** The first key of the ledger's advisory locks (two-key form: a space of its own), "LEDG". */
    static final int ADVISORY_LOCK_CLASS = 0x4c454447;

    static final String ACCOUNT_COLUMNS = "id, ledger, code, flags, user_data, debits_pending, debits_posted, credits_pending, credits_posted, created_at";
    private static final String TRANSFER_COLUMNS = """
            t.id, t.debit_account, t.credit_account, t.amount, t.pending_id, t.ledger, t.code, t.flags, t.timeout_millis, t.user_data,
            t.created_at, t.expires_at, o.outcome""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final LedgerVerifier verifier;
    private final BalanceDeltas deltas;
    private final KnownAccounts known = new KnownAccounts();
    private final Clock clock;

    JdbcLedger(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transactions, LedgerVerifier verifier, BalanceDeltas deltas) {
        this.jdbc = jdbc;
        this.deltas = deltas;
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
        if (known.contains(account)) {
            return AccountResult.EXISTS;
        }
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
        boolean same = existing.ledger() == account.ledger() && existing.code() == account.code() && existing.flags().equals(account.flags())
                && existing.userData().equals(account.userData());
        if (same) {
            known.addAfterCommit(account);
        }
        return same ? AccountResult.EXISTS : AccountResult.EXISTS_WITH_DIFFERENT_FIELDS;
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
            TreeSet<UUID> transferIds = new TreeSet<>();
            for (NewTransfer t : transfers) {
                accountIds.add(t.debitAccount().value());
                accountIds.add(t.creditAccount().value());
                transferIds.add(t.id().value());
                t.pendingId().ifPresent(id -> transferIds.add(id.value()));
            }
            lockTransferIds(transferIds);
            Map<UUID, TransferBatch.Balance> accounts = new HashMap<>();
            readAccounts(accountIds).forEach((id, balance) -> accounts.put(id, balance.unlocked()));
            accounts.putAll(lockAccounts(TransferBatch.toLock(transfers, accounts)));
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

    /**
     * Serialises batches naming the same transfer ids (a transaction-scoped advisory lock per id, in id order, so two
     * batches cannot deadlock): a batch that no account lock orders behind another (both sides unlocked) still reads
     * the other's committed transfer and answers {@code EXISTS}, rather than failing on the primary key.
     */
    private void lockTransferIds(TreeSet<UUID> ids) {
        String keys = ids.stream().mapToInt(UUID::hashCode).distinct().sorted().mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{", "}"));
        // Read as text so every row (every lock) is computed; unnest returns the keys in the array's (sorted) order.
        jdbc.sql("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_CLASS + ", k)::text FROM unnest(CAST(:keys AS integer[])) AS k")
                .param("keys", keys).query(String.class).list();
    }

    /**
     * The named accounts' balances (row plus committed deltas), read without a lock: their ledger and flags, and how
     * far a balance is from overflowing, decide which to lock ({@link TransferBatch#toLock}).
     */
    private Map<UUID, TransferBatch.Balance> readAccounts(Collection<UUID> ids) {
        Map<UUID, TransferBatch.Balance> accounts = new HashMap<>();
        jdbc.sql("SELECT id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted FROM ledger_balances "
                        + "WHERE id = ANY(CAST(:ids AS uuid[]))")
                .param("ids", array(ids))
                .query((RowCallbackHandler) rs -> balance(rs, accounts));
        return accounts;
    }

    /**
     * Locks the accounts in id order (PostgreSQL's uuid order, the same for every batch), folds their committed deltas
     * into their rows, and reads their balances: under the lock, the row is the whole committed balance.
     * {@code FOR NO KEY UPDATE}: the foreign keys of concurrent transfer and delta inserts (which take {@code KEY SHARE})
     * need not wait for it.
     */
    Map<UUID, TransferBatch.Balance> lockAccounts(Collection<UUID> ids) {
        Map<UUID, TransferBatch.Balance> accounts = new HashMap<>();
        if (ids.isEmpty()) {
            return accounts;
        }
        jdbc.sql("SELECT id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted FROM ledger_accounts "
                        + "WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR NO KEY UPDATE")
                .param("ids", array(ids))
                .query((RowCallbackHandler) rs -> balance(rs, accounts));
        deltas.fold(accounts.keySet()).forEach((id, folded) -> {
            TransferBatch.Balance balance = accounts.get(id);
            balance.debitsPosted = folded[0];
            balance.creditsPosted = folded[1];
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
        List<Object[]> locked = new ArrayList<>();
        List<Object[]> unlocked = new ArrayList<>();
        for (TransferBatch.Balance b : decided.changedAccounts()) {
            if (b.locked) {
                locked.add(new Object[] {b.debitsPending, b.debitsPosted, b.creditsPending, b.creditsPosted, b.id});
            } else {
                long debits = b.debitsPosted - b.readDebitsPosted;
                long credits = b.creditsPosted - b.readCreditsPosted;
                if (debits < 0 || credits < 0) {
                    throw new IllegalStateException("an unlocked account's posted balance may only grow");
                }
                if (debits > 0 || credits > 0) {
                    unlocked.add(new Object[] {b.id, debits, credits});
                }
            }
        }
        if (!locked.isEmpty()) {
            batch.batchUpdate("""
                    UPDATE ledger_accounts SET debits_pending = ?, debits_posted = ?, credits_pending = ?, credits_posted = ? WHERE id = ?""",
                    locked);
        }
        if (!unlocked.isEmpty()) {
            batch.batchUpdate("INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted) VALUES (?, ?, ?)", unlocked);
        }
    }

    @Override
    public Optional<Account> account(AccountId id) {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM ledger_balances WHERE id = :id").param("id", id.value())
                .query((rs, n) -> account(rs)).optional();
    }

    /** Accounts in id order after {@code after}, of one ledger when given; at most {@link #ACCOUNTS_PAGE_MAX}. */
    public List<Account> accounts(Optional<Integer> ledger, Optional<AccountId> after, int limit) {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM ledger_balances WHERE (CAST(:ledger AS integer) IS NULL OR ledger = :ledger) "
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
    public long transferCount(AccountId account) {
        return jdbc.sql("SELECT (SELECT count(*) FROM ledger_transfers WHERE debit_account = :a)"
                        + " + (SELECT count(*) FROM ledger_transfers WHERE credit_account = :a)")
                .param("a", account.value()).query(Long.class).single();
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

    /** One row of {@code id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted} into {@code accounts}. */
    private static void balance(ResultSet rs, Map<UUID, TransferBatch.Balance> accounts) throws SQLException {
        UUID id = rs.getObject(1, UUID.class);
        accounts.put(id, new TransferBatch.Balance(id, rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
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
