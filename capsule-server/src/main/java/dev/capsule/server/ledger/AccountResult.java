package dev.capsule.server.ledger;

/** The result of creating one account. */
public enum AccountResult {
    OK,
    /** An account with this id exists with the same fields. */
    EXISTS,
    EXISTS_WITH_DIFFERENT_FIELDS,
    /** Both balance-limit flags at once. */
    FLAGS_ARE_MUTUALLY_EXCLUSIVE;

    public boolean applied() {
        return this == OK || this == EXISTS;
    }
}
