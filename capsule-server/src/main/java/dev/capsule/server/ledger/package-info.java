/**
 * The double-entry ledger (docs/payments.md, "The ledger"): {@link dev.capsule.server.ledger.Ledger} and its records
 * are the public API; the PostgreSQL implementation, the verifier, the daily statement, {@code capsule ledger} and the
 * console page are in {@code internal}.
 */
package dev.capsule.server.ledger;
