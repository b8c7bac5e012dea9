package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import java.util.List;
import java.util.Optional;

/**
 * Read access to merchants and their keys, for the signature filter, paySign checks and webhooks.
 *
 * <p>Security guarantees: {@link #key} answers only an active (not revoked) key of an enabled merchant; an unknown,
 * revoked and disabled key all answer empty alike.
 */
public interface MerchantDirectory {
    Optional<Merchant> merchant(MerchantId id);

    /** The active key {@code id} of an enabled merchant. */
    Optional<MerchantKey> key(MerchantKeyId id);

    /** The merchant's active keys (for {@code paySign}, which names no key), oldest first; empty when disabled. */
    List<MerchantKey> activeKeys(MerchantId merchant);
}
