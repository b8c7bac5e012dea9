package dev.capsule.server.ledger;

import java.util.List;
import java.util.Optional;

/**
 * A double-entry ledger with TigerBeetle's semantics on PostgreSQL (docs/payments.md, "The ledger"): accounts with
 * balance-limit flags, immutable transfers with client-chosen ids, two-phase pending → post / void with timeouts,
 * linked chains that succeed or fail together. Nothing is ever updated or deleted except an account's running
 * balances, which always equal the sum of its transfers.
 *
 * <p>Both create methods join the caller's transaction when one is active (so a payment's intent, idempotency record,
 * webhook and audit entry commit with its transfers), else run in their own.
 *
 * <p>Security guarantees: a batch is applied in order under row locks on the accounts it touches (taken in id order,
 * so concurrent batches cannot deadlock); a balance-limit flag holds under any concurrency on any number of nodes; a
 * transfer id is applied at most once; a failed transfer changes nothing; a linked chain is all or nothing.
 */
public interface Ledger {
    /** Largest batch either create method takes. */
    int BATCH_MAX = 1000;

    /** One result per account, in order. */
    List<AccountResult> createAccounts(List<NewAccount> accounts);

    /** One result per transfer, in order. */
    List<TransferResult> createTransfers(List<NewTransfer> transfers);

    Optional<Account> account(AccountId id);

    Optional<Transfer> transfer(TransferId id);

    /** The account's transfers, newest first, at most {@code limit} (at most 500). */
    List<Transfer> transfers(AccountId account, int limit);

    /** How many transfers debit or credit the account (a count for a record of what is kept, never a page). */
    long transferCount(AccountId account);

    /** Checks every invariant over the whole ledger. */
    LedgerCheck verify();
}
