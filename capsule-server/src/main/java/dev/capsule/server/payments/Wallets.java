package dev.capsule.server.payments;

import java.util.Map;

/**
 * Payers' wallet balances, held as ledger accounts (one per payer and currency, which may never be overdrawn).
 * A wallet is funded only by a credit from the super-app's backend ({@code POST /api/v1/wallet-credits}, permission
 * {@code wallets.fund}; with demo users, the dev server funds demo wallets through the same path).
 */
public interface Wallets {
    /** The payer's posted balance per ISO 4217 currency code, in minor units (empty when they have no wallet). */
    Map<String, Long> balances(PayerId payer);
}
