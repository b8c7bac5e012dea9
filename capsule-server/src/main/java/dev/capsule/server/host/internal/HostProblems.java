package dev.capsule.server.host.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The host module's problem types (docs/host.md lists them). */
public final class HostProblems {
    /** A shell form posted from another origin, or without an Origin header. */
    public static final ProblemType ORIGIN_MISMATCH = new ProblemType("origin-mismatch", HttpStatus.FORBIDDEN,
            "The request does not come from this server's own pages");
    /** A shell form posted without its session's CSRF token. */
    public static final ProblemType SHELL_CSRF_INVALID = new ProblemType("shell-csrf-token-invalid", HttpStatus.FORBIDDEN,
            "Missing or invalid CSRF token of the shell session");
    /** Demo users are asked for while they are off. */
    public static final ProblemType DEMO_USERS_OFF = new ProblemType("demo-users-off", HttpStatus.NOT_FOUND,
            "Demo users are off on this server");

    /** Card details the shell's card endpoint cannot accept (the detail names the field, never repeats its value). */
    public static final ProblemType CARD_INVALID = new ProblemType("card-invalid", HttpStatus.BAD_REQUEST,
            "The card details are not valid");
    /** A card posted for a merchant whose payment sheet is not open for this user. */
    public static final ProblemType NO_PAYMENT_SHEET = new ProblemType("no-open-payment-sheet", HttpStatus.CONFLICT,
            "No payment sheet of this merchant is open");
    /** The payments module is not part of this server (no vault or wallet): nothing is accepted. */
    public static final ProblemType PAYMENTS_UNAVAILABLE = new ProblemType("payments-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Payments are not available on this server");

    /** A passkey registration that cannot be verified or kept (the detail says why). */
    public static final ProblemType PASSKEY_INVALID = new ProblemType("passkey-invalid", HttpStatus.BAD_REQUEST,
            "The passkey could not be registered");

    /** Withdraw or Allow in settings for a scope the user has no decision on. */
    public static final ProblemType CONSENT_NOT_FOUND = new ProblemType("consent-not-found", HttpStatus.NOT_FOUND,
            "No consent decision on this scope");
    /** Allow in settings beyond the consent history's limit (a withdrawal is never refused). */
    public static final ProblemType CONSENT_HISTORY_FULL = new ProblemType("consent-history-full", HttpStatus.CONFLICT,
            "The consent history of this mini-program is full");

    private HostProblems() {
    }
}
