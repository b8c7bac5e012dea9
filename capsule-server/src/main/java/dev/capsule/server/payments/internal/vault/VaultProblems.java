package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * The card vault's problem types (docs/payments.md, "The card vault"). Their details never repeat card data: a refused
 * card is described by what is wrong with it, never by its number or code.
 */
public final class VaultProblems {
    /** The card's expiry month has passed, or lies further ahead than any card is issued for. */
    public static final ProblemType CARD_EXPIRY = new ProblemType("card-expiry", HttpStatus.UNPROCESSABLE_CONTENT,
            "The card's expiry date is not acceptable");
    /** The card's issuer declined the zero-amount verification. */
    public static final ProblemType CARD_DECLINED = new ProblemType("card-declined", HttpStatus.PAYMENT_REQUIRED,
            "The card was declined");
    /** A card code was given but no acquirer can verify it now (none configured, or it did not answer in time). */
    public static final ProblemType CARD_VERIFICATION_UNAVAILABLE = new ProblemType("card-verification-unavailable",
            HttpStatus.SERVICE_UNAVAILABLE, "The card cannot be verified now");
    /** The payer already has the most cards the vault keeps for one merchant. */
    public static final ProblemType CARD_LIMIT = new ProblemType("card-limit", HttpStatus.CONFLICT,
            "Too many saved cards for this merchant");
    /** The merchant is unknown or disabled: no card is saved for it. */
    public static final ProblemType MERCHANT_UNAVAILABLE = new ProblemType("card-merchant-unavailable",
            HttpStatus.UNPROCESSABLE_CONTENT, "This merchant does not take cards now");

    private VaultProblems() {
    }
}
