package dev.capsule.server.ledger;

/** TigerBeetle's account flags that Capsule keeps. */
public enum AccountFlag {
    /** A transfer that would make debits (pending + posted) exceed posted credits fails with {@code EXCEEDS_CREDITS}. */
    DEBITS_MUST_NOT_EXCEED_CREDITS,
    /** A transfer that would make credits (pending + posted) exceed posted debits fails with {@code EXCEEDS_DEBITS}. */
    CREDITS_MUST_NOT_EXCEED_DEBITS,
    /** No further transfers may debit or credit it (set when created; an account is never edited). */
    CLOSED
}
