package dev.capsule.server.identity;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The identity module's problem types (listed in docs/operators.md). */
public final class OperatorProblems {
    /** Any failed sign-in step: unknown user, wrong password, wrong or replayed code all look the same. */
    public static final ProblemType SIGN_IN_FAILED = new ProblemType("sign-in-failed", HttpStatus.UNAUTHORIZED,
            "Sign-in failed");
    /** Too many failures for this account or this address: wait (Retry-After) and try again. */
    public static final ProblemType SIGN_IN_THROTTLED = new ProblemType("sign-in-throttled", HttpStatus.TOO_MANY_REQUESTS,
            "Too many failed attempts");
    /** The operator must change the password and enrol MFA before anything else. */
    public static final ProblemType ONBOARDING_REQUIRED = new ProblemType("onboarding-required", HttpStatus.FORBIDDEN,
            "Change your password and enrol MFA first");
    /** A state-changing request in a cookie session without a valid CSRF token. */
    public static final ProblemType CSRF_TOKEN_INVALID = new ProblemType("csrf-token-invalid", HttpStatus.FORBIDDEN,
            "Missing or invalid CSRF token");
    public static final ProblemType PASSWORD_REJECTED = new ProblemType("password-rejected", HttpStatus.BAD_REQUEST,
            "The new password is not acceptable");
    public static final ProblemType CURRENT_PASSWORD_WRONG = new ProblemType("current-password-wrong", HttpStatus.BAD_REQUEST,
            "The current password is wrong");
    public static final ProblemType CODE_REJECTED = new ProblemType("code-rejected", HttpStatus.BAD_REQUEST,
            "The authenticator code was not accepted");
    public static final ProblemType NO_ENROLMENT_PENDING = new ProblemType("no-enrolment-pending", HttpStatus.CONFLICT,
            "No MFA enrolment is in progress");
    public static final ProblemType OPERATOR_EXISTS = new ProblemType("operator-exists", HttpStatus.CONFLICT,
            "An operator with this username exists");
    public static final ProblemType LAST_PLATFORM_ADMIN = new ProblemType("last-platform-admin", HttpStatus.CONFLICT,
            "This would leave no enabled platform administrator");

    private OperatorProblems() {
    }
}
