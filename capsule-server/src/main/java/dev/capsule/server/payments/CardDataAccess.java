package dev.capsule.server.payments;

/**
 * The explicit marker every read of a card number or card code passes (as Tink's {@code SecretKeyAccess}): code that
 * reads card data names this type, so a reviewer finds every such place with one search. Only the vault (sealing) and
 * the acquirer call (authorizing) may use it; a test checks that no other class does.
 */
public final class CardDataAccess {
    private static final CardDataAccess INSTANCE = new CardDataAccess();

    private CardDataAccess() {
    }

    /** The token; calling this is the declaration that the caller handles cardholder data. */
    public static CardDataAccess get() {
        return INSTANCE;
    }
}
