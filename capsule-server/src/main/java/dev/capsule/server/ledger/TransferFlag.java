package dev.capsule.server.ledger;

/** TigerBeetle's transfer flags that Capsule keeps. */
public enum TransferFlag {
    /** Succeeds or fails together with the next transfer of the same batch (the chain ends at one without it). */
    LINKED,
    /** Reserves the amount (pending) until posted, voided or timed out. */
    PENDING,
    /** Posts (part of) the pending transfer {@code pendingId}; amount 0 means all of it. */
    POST_PENDING_TRANSFER,
    /** Voids the pending transfer {@code pendingId}. */
    VOID_PENDING_TRANSFER
}
