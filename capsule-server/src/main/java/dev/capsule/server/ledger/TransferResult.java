package dev.capsule.server.ledger;

/** The result of creating one transfer (TigerBeetle's {@code CreateTransferResult}, the cases Capsule has). */
public enum TransferResult {
    OK,
    /** A transfer with this id exists with the same fields: a retry; nothing changed. */
    EXISTS,
    /** A transfer with this id exists with other fields. */
    EXISTS_WITH_DIFFERENT_FIELDS,
    /** Another transfer of its linked chain failed, so this one was not applied. */
    LINKED_EVENT_FAILED,
    /** The batch ends inside a linked chain. */
    LINKED_EVENT_CHAIN_OPEN,
    ACCOUNTS_MUST_BE_DIFFERENT,
    DEBIT_ACCOUNT_NOT_FOUND,
    CREDIT_ACCOUNT_NOT_FOUND,
    ACCOUNT_CLOSED,
    /** Debit account, credit account and transfer are not all of one ledger. */
    LEDGER_MISMATCH,
    /** Amount 0 on a transfer that is not a post (posts take 0 as "all"). */
    AMOUNT_MUST_NOT_BE_ZERO,
    /** The flags contradict each other (pending and post, post without pending id…). */
    FLAGS_ARE_MUTUALLY_EXCLUSIVE,
    PENDING_ID_REQUIRED,
    PENDING_ID_MUST_BE_EMPTY,
    PENDING_TRANSFER_NOT_FOUND,
    PENDING_TRANSFER_NOT_PENDING,
    PENDING_TRANSFER_ALREADY_POSTED,
    PENDING_TRANSFER_ALREADY_VOIDED,
    PENDING_TRANSFER_EXPIRED,
    /** A post's accounts or ledger differ from the pending transfer's. */
    PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS,
    EXCEEDS_PENDING_TRANSFER_AMOUNT,
    /** The debit account has {@code DEBITS_MUST_NOT_EXCEED_CREDITS} and this would overdraw it. */
    EXCEEDS_CREDITS,
    /** The credit account has {@code CREDITS_MUST_NOT_EXCEED_DEBITS} and this would exceed its debits. */
    EXCEEDS_DEBITS,
    /** A balance would pass the signed 64-bit range. */
    OVERFLOWS;

    /** Whether the transfer is in the ledger after the call (created now or before). */
    public boolean applied() {
        return this == OK || this == EXISTS;
    }
}
