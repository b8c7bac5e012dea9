package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The problem types of merchant registration and keys (docs/payments.md, "Merchants" and "Problem types"). */
public final class MerchantProblems {
    /** The organisation is not registered in the registry, or an operator has not verified it yet. */
    public static final ProblemType ORGANISATION_NOT_VERIFIED = new ProblemType("merchant-organisation-not-verified",
            HttpStatus.CONFLICT, "The developer organisation is not verified");
    /** A mini-program id named for the merchant is not registered to the merchant's organisation. */
    public static final ProblemType APP_NOT_THE_ORGANISATIONS = new ProblemType("merchant-app-not-the-organisations",
            HttpStatus.CONFLICT, "The mini-program does not belong to the organisation");
    /** A mini-program id is paid through another merchant already (one merchant per mini-program). */
    public static final ProblemType APP_TAKEN = new ProblemType("merchant-app-taken", HttpStatus.CONFLICT,
            "The mini-program already has a merchant");
    /** This Ed25519 public key is (or was) a key of a merchant already: a key belongs to one merchant, once. */
    public static final ProblemType KEY_EXISTS = new ProblemType("merchant-key-exists", HttpStatus.CONFLICT,
            "The key is registered already");
    /** The key is revoked already (revocation is final). */
    public static final ProblemType KEY_REVOKED = new ProblemType("merchant-key-revoked", HttpStatus.CONFLICT,
            "The key is revoked already");
    /** The merchant is already in the state asked for (disabled or enabled). */
    public static final ProblemType STATE_UNCHANGED = new ProblemType("merchant-state-unchanged", HttpStatus.CONFLICT,
            "The merchant is in that state already");
    /** A per-organisation or per-merchant limit is reached (merchants, active keys, keys in all). */
    public static final ProblemType LIMIT_REACHED = new ProblemType("merchant-limit-reached", HttpStatus.CONFLICT,
            "A merchant limit is reached");

    private MerchantProblems() {
    }
}
