package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.Wallets;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@link Wallets}: a payer's wallet accounts of the ledger (docs/payments.md, "Wallets"). */
@Component
class WalletBalances implements Wallets {
    private final PaymentIntents intents;

    WalletBalances(PaymentIntents intents) {
        this.intents = intents;
    }

    @Override
    public Map<String, Long> balances(PayerId payer) {
        return intents.balances(payer);
    }
}
