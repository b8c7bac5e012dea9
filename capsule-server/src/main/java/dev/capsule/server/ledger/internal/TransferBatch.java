package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Decides a batch of transfers against the locked accounts' balances and the transfers already known, in memory, in
 * order, with TigerBeetle's rules (docs/payments.md "The ledger"); {@link JdbcLedger} then writes what it decided. A
 * linked chain is decided as a unit: when one of its transfers fails, every change the chain made here is undone.
 *
 * <p>Nothing here reads the clock or the database: the caller passes {@code now}, the locked accounts and the
 * transfers the batch names (by id or pending id), so the rules are one pure function of those.
 */
final class TransferBatch {
    /** TigerBeetle's timeout is a u32 of seconds; a longer one {@code OVERFLOWS}. */
    static final long TIMEOUT_SECONDS_MAX = 0xFFFF_FFFFL;

    /**
     * An account's balances as the batch sees them (copied before a chain changes them, so a chain can be undone).
     * {@code locked}: the batch holds the account's row lock and the row holds all of its committed balances, so
     * its limit flags can be checked and its new balances written to the row; an unlocked account (a side no limit
     * flag checks) only gains posted amounts, written as a delta ({@code ledger_balance_deltas}), from the balances it
     * had when read ({@code readDebitsPosted}, {@code readCreditsPosted}).
     */
    static final class Balance {
        final UUID id;
        final int ledger;
        final int flags;
        final boolean locked;
        final long readDebitsPosted;
        final long readCreditsPosted;
        long debitsPending;
        long debitsPosted;
        long creditsPending;
        long creditsPosted;

        Balance(UUID id, int ledger, int flags, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted) {
            this(id, ledger, flags, true, debitsPending, debitsPosted, creditsPending, creditsPosted, debitsPosted, creditsPosted);
        }

        private Balance(UUID id, int ledger, int flags, boolean locked, long debitsPending, long debitsPosted, long creditsPending,
                long creditsPosted, long readDebitsPosted, long readCreditsPosted) {
            this.id = id;
            this.ledger = ledger;
            this.flags = flags;
            this.locked = locked;
            this.debitsPending = debitsPending;
            this.debitsPosted = debitsPosted;
            this.creditsPending = creditsPending;
            this.creditsPosted = creditsPosted;
            this.readDebitsPosted = readDebitsPosted;
            this.readCreditsPosted = readCreditsPosted;
        }

        /** The same balances, read without the row lock. */
        Balance unlocked() {
            return new Balance(id, ledger, flags, false, debitsPending, debitsPosted, creditsPending, creditsPosted, debitsPosted, creditsPosted);
        }

        Balance copy() {
            return new Balance(id, ledger, flags, locked, debitsPending, debitsPosted, creditsPending, creditsPosted, readDebitsPosted,
                    readCreditsPosted);
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** A transfer as stored (or about to be); {@code outcome} is that of a pending transfer: null while pending. */
    static final class Row {
        final UUID id;
        final UUID debit;
        final UUID credit;
        final long amount;
        final UUID pendingId;
        final int ledger;
        final int code;
        final int flags;
        final long timeoutMillis;
        final String userData;
        final Instant createdAt;
        final Instant expiresAt;
        String outcome;

        Row(UUID id, UUID debit, UUID credit, long amount, UUID pendingId, int ledger, int code, int flags, long timeoutMillis,
                String userData, Instant createdAt, Instant expiresAt, String outcome) {
            this.id = id;
            this.debit = debit;
            this.credit = credit;
            this.amount = amount;
            this.pendingId = pendingId;
            this.ledger = ledger;
            this.code = code;
            this.flags = flags;
            this.timeoutMillis = timeoutMillis;
            this.userData = userData;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
            this.outcome = outcome;
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** What became of a pending transfer, written with the post or void that decided it. */
    record Outcome(UUID pendingId, String outcome, UUID transferId) {
    }

    private final Map<UUID, Balance> accounts;
    private final Map<UUID, Row> known;
    private final Instant now;
    private final List<Row> inserts = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Set<UUID> changed = new LinkedHashSet<>();
    // The undo log of the chain being decided.
    private final Map<UUID, Balance> before = new HashMap<>();
    private final Map<Row, String> outcomesBefore = new HashMap<>();

    TransferBatch(Map<UUID, Balance> accounts, Map<UUID, Row> known, Instant now) {
        this.accounts = accounts;
        this.known = known;
        this.now = now;
    }

    List<TransferResult> decide(List<NewTransfer> batch) {
        TransferResult[] results = new TransferResult[batch.size()];
        int start = 0;
        while (start < batch.size()) {
            int end = start;
            while (end < batch.size() - 1 && batch.get(end).flags().contains(dev.capsule.server.ledger.TransferFlag.LINKED)) {
                end++;
            }
            decideChain(batch, start, end, results);
            start = end + 1;
        }
        return Arrays.asList(results);
    }

    /** Transfers [start, end] are one chain (a single unlinked transfer is a chain of one). */
    private void decideChain(List<NewTransfer> batch, int start, int end, TransferResult[] results) {
        before.clear();
        outcomesBefore.clear();
        int insertsAtStart = inserts.size();
        int outcomesAtStart = outcomes.size();
        boolean open = batch.get(end).flags().contains(dev.capsule.server.ledger.TransferFlag.LINKED);
        int failed = -1;
        TransferResult failure = null;
        for (int i = start; i <= end; i++) {
            TransferResult result = open && i == end ? TransferResult.LINKED_EVENT_CHAIN_OPEN : one(batch.get(i));
            results[i] = result;
            if (!result.applied()) {
                failed = i;
                failure = result;
                break;
            }
        }
        if (failed < 0) {
            return;
        }
        // Undo the chain: balances, outcomes, rows; every other member of the chain failed because of this one.
        before.forEach(accounts::put);
        outcomesBefore.forEach((row, outcome) -> row.outcome = outcome);
        for (Row row : inserts.subList(insertsAtStart, inserts.size())) {
            known.remove(row.id);
        }
        inserts.subList(insertsAtStart, inserts.size()).clear();
        outcomes.subList(outcomesAtStart, outcomes.size()).clear();
        for (int i = start; i <= end; i++) {
            results[i] = i == failed ? failure : TransferResult.LINKED_EVENT_FAILED;
        }
    }

    private TransferResult one(NewTransfer t) {
        int flags = LedgerFlags.transferBits(t.flags());
        boolean pending = (flags & LedgerFlags.PENDING) != 0;
        boolean post = (flags & LedgerFlags.POST_PENDING) != 0;
        boolean voids = (flags & LedgerFlags.VOID_PENDING) != 0;
        if ((pending ? 1 : 0) + (post ? 1 : 0) + (voids ? 1 : 0) > 1 || (!pending && !t.timeout().isZero())) {
            return TransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if ((post || voids) && t.pendingId().isEmpty()) {
            return TransferResult.PENDING_ID_REQUIRED;
        }
        if (!post && !voids && t.pendingId().isPresent()) {
            return TransferResult.PENDING_ID_MUST_BE_EMPTY;
        }
        if (t.debitAccount().equals(t.creditAccount())) {
            return TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (t.timeout().getSeconds() > TIMEOUT_SECONDS_MAX || t.timeout().getSeconds() == TIMEOUT_SECONDS_MAX && t.timeout().getNano() > 0) {
            return TransferResult.OVERFLOWS;
        }
        Row existing = known.get(t.id().value());
        if (existing != null) {
            return same(existing, t, flags) ? TransferResult.EXISTS : TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
        }
        Balance debit = accounts.get(t.debitAccount().value());
        if (debit == null) {
            return TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
        }
        Balance credit = accounts.get(t.creditAccount().value());
        if (credit == null) {
            return TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (debit.ledger != t.ledger() || credit.ledger != t.ledger()) {
            return TransferResult.LEDGER_MISMATCH;
        }
        if (debit.has(LedgerFlags.CLOSED) || credit.has(LedgerFlags.CLOSED)) {
            return TransferResult.ACCOUNT_CLOSED;
        }
        if (!post && !voids && t.amount() == 0) {
            return TransferResult.AMOUNT_MUST_NOT_BE_ZERO;
        }
        return post || voids ? resolve(t, flags, post, debit, credit) : move(t, flags, pending, debit, credit);
    }

    /** A plain or pending transfer: checks the limits and overflow, then moves (or reserves) the amount. */
    private TransferResult move(NewTransfer t, int flags, boolean pending, Balance debit, Balance credit) {
        long amount = t.amount();
        long debits;
        long credits;
        try {
            debits = Math.addExact(Math.addExact(debit.debitsPending, debit.debitsPosted), amount);
            credits = Math.addExact(Math.addExact(credit.creditsPending, credit.creditsPosted), amount);
        } catch (ArithmeticException overflow) {
            return TransferResult.OVERFLOWS;
        }
        if (debit.has(LedgerFlags.DEBITS_MUST_NOT_EXCEED_CREDITS) && debits > debit.creditsPosted) {
            return TransferResult.EXCEEDS_CREDITS;
        }
        if (credit.has(LedgerFlags.CREDITS_MUST_NOT_EXCEED_DEBITS) && credits > credit.debitsPosted) {
            return TransferResult.EXCEEDS_DEBITS;
        }
        Balance d = changing(debit.id);
        Balance c = changing(credit.id);
        if (pending) {
            d.debitsPending += amount;
            c.creditsPending += amount;
        } else {
            d.debitsPosted += amount;
            c.creditsPosted += amount;
        }
        Instant expiresAt = pending && !t.timeout().isZero() ? now.plus(t.timeout()) : null;
        record(t, flags, amount, expiresAt);
        return TransferResult.OK;
    }

    /** A post or void of a pending transfer. */
    private TransferResult resolve(NewTransfer t, int flags, boolean post, Balance debit, Balance credit) {
        Row p = known.get(t.pendingId().orElseThrow().value());
        if (p == null) {
            return TransferResult.PENDING_TRANSFER_NOT_FOUND;
        }
        if (!p.has(LedgerFlags.PENDING)) {
            return TransferResult.PENDING_TRANSFER_NOT_PENDING;
        }
        if (!p.debit.equals(debit.id) || !p.credit.equals(credit.id) || p.ledger != t.ledger()) {
            return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS;
        }
        if (p.outcome != null) {
            return switch (p.outcome) {
                case "posted" -> TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
                case "voided" -> TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
                default -> TransferResult.PENDING_TRANSFER_EXPIRED;
            };
        }
        if (p.expiresAt != null && !now.isBefore(p.expiresAt)) {
            return TransferResult.PENDING_TRANSFER_EXPIRED;
        }
        long amount;
        if (post) {
            amount = t.amount() == 0 ? p.amount : t.amount();
            if (amount > p.amount) {
                return TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
        } else {
            if (t.amount() != 0 && t.amount() != p.amount) {
                return TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
            amount = p.amount;
        }
        long debitsPosted = debit.debitsPosted;
        long creditsPosted = credit.creditsPosted;
        if (post) {
            try {
                debitsPosted = Math.addExact(debitsPosted, amount);
                creditsPosted = Math.addExact(creditsPosted, amount);
            } catch (ArithmeticException overflow) {
                return TransferResult.OVERFLOWS;
            }
        }
        Balance d = changing(debit.id);
        Balance c = changing(credit.id);
        d.debitsPending -= p.amount;
        c.creditsPending -= p.amount;
        d.debitsPosted = debitsPosted;
        c.creditsPosted = creditsPosted;
        outcomesBefore.putIfAbsent(p, p.outcome);
        p.outcome = post ? "posted" : "voided";
        record(t, flags, amount, null);
        outcomes.add(new Outcome(p.id, p.outcome, t.id().value()));
        return TransferResult.OK;
    }

    /** The account to change, its state before the chain saved for an undo. */
    private Balance changing(UUID id) {
        Balance current = accounts.get(id);
        before.putIfAbsent(id, current.copy());
        changed.add(id);
        return current;
    }

    private void record(NewTransfer t, int flags, long amount, Instant expiresAt) {
        Row row = new Row(t.id().value(), t.debitAccount().value(), t.creditAccount().value(), amount,
                t.pendingId().map(id -> id.value()).orElse(null), t.ledger(), t.code(), flags, t.timeout().toMillis(), t.userData(), now,
                expiresAt, null);
        known.put(row.id, row);
        inserts.add(row);
    }

    /** Whether a retry carries the same fields as the stored transfer (a post's or void's amount 0 means "all of it"). */
    private static boolean same(Row stored, NewTransfer t, int flags) {
        boolean resolves = (flags & (LedgerFlags.POST_PENDING | LedgerFlags.VOID_PENDING)) != 0;
        boolean amountSame = stored.amount == t.amount() || resolves && t.amount() == 0;
        return amountSame && stored.flags == flags && stored.debit.equals(t.debitAccount().value())
                && stored.credit.equals(t.creditAccount().value())
                && Objects.equals(stored.pendingId, t.pendingId().map(id -> id.value()).orElse(null)) && stored.ledger == t.ledger()
                && stored.code == t.code() && stored.timeoutMillis == t.timeout().toMillis() && stored.userData.equals(t.userData());
    }

    /** Largest amount a plain transfer may move without locking an account whose limit flag does not check that side. */
    static final long UNLOCKED_AMOUNT_MAX = 1L << 40;
    /**
     * Largest balance (posted and pending, on the side the transfer adds to) an account may reach by a transfer that
     * does not lock it. Far below {@link Long#MAX_VALUE}: transfers in flight that each saw the balance at most this and
     * each add at most {@link #UNLOCKED_AMOUNT_MAX} would need 2²² of them at once to overflow (a node has tens of
     * connections), so {@code OVERFLOWS} stays exact without the lock; nearer the limit the account is locked and
     * decided exactly.
     */
    static final long UNLOCKED_BALANCE_MAX = 1L << 62;

    /**
     * The accounts a batch must lock: both of every pending, post or void transfer (pending balances live in the row),
     * each side of a plain transfer that its account's limit flag checks, and each side a transfer could bring near
     * overflowing. Locking more is always safe; locking less than this would let a limit be decided on balances another
     * transaction is changing.
     */
    static java.util.SortedSet<UUID> toLock(List<NewTransfer> batch, Map<UUID, Balance> accounts) {
        java.util.SortedSet<UUID> lock = new java.util.TreeSet<>();
        for (NewTransfer t : batch) {
            int flags = LedgerFlags.transferBits(t.flags());
            UUID debit = t.debitAccount().value();
            UUID credit = t.creditAccount().value();
            boolean twoPhase = (flags & (LedgerFlags.PENDING | LedgerFlags.POST_PENDING | LedgerFlags.VOID_PENDING)) != 0;
            Balance d = accounts.get(debit);
            Balance c = accounts.get(credit);
            if (d != null && (twoPhase || d.has(LedgerFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
                    || nearOverflow(d.debitsPending, d.debitsPosted, t.amount()))) {
                lock.add(debit);
            }
            if (c != null && (twoPhase || c.has(LedgerFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)
                    || nearOverflow(c.creditsPending, c.creditsPosted, t.amount()))) {
                lock.add(credit);
            }
        }
        return lock;
    }

    private static boolean nearOverflow(long pending, long posted, long amount) {
        return amount < 0 || amount > UNLOCKED_AMOUNT_MAX || pending > UNLOCKED_BALANCE_MAX - posted
                || pending + posted > UNLOCKED_BALANCE_MAX - amount;
    }

    List<Row> inserts() {
        return inserts;
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    /** The accounts whose balances changed, with their new balances. */
    List<Balance> changedAccounts() {
        return changed.stream().map(accounts::get).toList();
    }

    static Duration timeout(long millis) {
        return Duration.ofMillis(millis);
    }
}
