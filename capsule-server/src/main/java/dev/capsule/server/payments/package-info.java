/**
 * Payments (docs/payments.md): merchants with signed requests (RFC 9421), idempotency, the card vault, payment intents
 * and the host's payment sheet, wallets on the ledger module, refunds and Standard Webhooks to merchants. This package
 * is the module's public API; everything else is in {@code internal} below it.
 */
package dev.capsule.server.payments;
