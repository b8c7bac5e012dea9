package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Role;
import dev.capsule.server.access.SelfService;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.access.StepUp;
import dev.capsule.server.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sign-in steps and the operator's own account as a JSON API (the console pages do the same
 * through the same services). Described in docs/operators.md.
 *
 * <p>Access: the sign-in steps are public paths ({@link IdentitySecurity#publicPaths()}); everything
 * else acts only on the signed-in operator's own account and session ({@link SelfService}, operators
 * only: an API key has no account here). The
 * onboarding gate ({@link OperatorSessionFilter}) runs before, so an onboarding session reaches only
 * the password change, MFA enrolment, its session and sign-out.
 */
@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operator sign-in", description = "Password, second factor, sessions, MFA enrolment, step-up")
class AuthApiController {
    /** JSON fields are bounded before any work; the password policy's own limit is lower. */
    static final int PASSWORD_FIELD_CHARS_MAX = 1024;
    static final int USERNAME_FIELD_CHARS_MAX = 256;
    static final int CODE_FIELD_CHARS_MAX = 64;

    private final SignInFlow signIn;
    private final OperatorAccount account;
    private final OperatorSessions sessions;
    private final CurrentOperator current;
    private final SessionStepUp stepUp;

    AuthApiController(SignInFlow signIn, OperatorAccount account, OperatorSessions sessions, CurrentOperator current, SessionStepUp stepUp) {
        this.signIn = signIn;
        this.account = account;
        this.sessions = sessions;
        this.current = current;
        this.stepUp = stepUp;
    }

    record SignInRequest(@NotNull @Size(max = USERNAME_FIELD_CHARS_MAX) String username,
            @NotNull @Size(max = PASSWORD_FIELD_CHARS_MAX) String password) {
        @Override
        public String toString() {
            return "SignInRequest[<redacted>]";
        }
    }

    record CodeRequest(@NotNull @Size(max = CODE_FIELD_CHARS_MAX) String code) {
        @Override
        public String toString() {
            return "CodeRequest[<redacted>]";
        }
    }

    record PasswordChangeRequest(@NotNull @Size(max = PASSWORD_FIELD_CHARS_MAX) String currentPassword,
            @NotNull @Size(max = PASSWORD_FIELD_CHARS_MAX) String newPassword) {
        @Override
        public String toString() {
            return "PasswordChangeRequest[<redacted>]";
        }
    }

    /**
     * @param next what to do now: {@code second-factor}, {@code change-password}, {@code enrol-mfa} or {@code done}
     */
    record StepResponse(String next, String csrfHeader, String csrfToken) {
    }

    record SessionResponse(UUID operatorId, String username, List<String> roles, String stage, boolean mustChangePassword,
            boolean mfaEnrolled, Instant signedInAt, Instant expiresAt, Instant stepUpUntil, int recoveryCodesLeft,
            String csrfHeader, String csrfToken) {
    }

    /** @param qrCodePng a {@code data:image/png;base64,...} URI of the otpauth URI's QR code */
    record EnrolmentResponse(String secret, String otpauthUri, String qrCodePng) {
    }

    record RecoveryCodesResponse(List<String> recoveryCodes) {
    }

    @PostMapping(path = "/sign-in", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Step 1: username and password",
            description = "Always answers next=second-factor unless throttled (429) or the account still needs onboarding. "
                    + "Starts a new session (cookie) and returns its CSRF token.")
    StepResponse signIn(@Valid @RequestBody SignInRequest body, HttpServletRequest request, HttpServletResponse response) {
        return step(signIn.password(request, body.username(), body.password()), request, response);
    }

    @PostMapping(path = "/second-factor/totp", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Step 2: a TOTP code", description = "Any failure answers 401 sign-in-failed and ends the attempt.")
    StepResponse totp(@Valid @RequestBody CodeRequest body, HttpServletRequest request, HttpServletResponse response) {
        return step(signIn.totpCode(request, body.code()), request, response);
    }

    @PostMapping(path = "/second-factor/recovery-code", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Step 2: a recovery code (used up)", description = "Any failure answers 401 sign-in-failed.")
    StepResponse recoveryCode(@Valid @RequestBody CodeRequest body, HttpServletRequest request, HttpServletResponse response) {
        return step(signIn.recoveryCode(request, body.code()), request, response);
    }

    @SelfService(operatorsOnly = true)
    @GetMapping("/session")
    @Operation(summary = "The current session, its limits and its CSRF token")
    SessionResponse session(HttpServletRequest request, HttpServletResponse response) {
        Operator operator = current.require();
        OperatorSessions.Active session = current.authentication().orElseThrow().session();
        var csrf = sessions.csrfToken(request, response);
        return new SessionResponse(operator.id(), operator.username(), operator.roles().stream().map(Role::code).sorted().toList(),
                operator.onboardingRequired() ? "onboarding" : "signed-in", operator.mustChangePassword(), operator.mfaEnrolled(),
                session.startedAt(), OperatorSessions.absoluteEnd(session.startedAt()), stepUp.until().orElse(null),
                operator.mfaEnrolled() ? account.recoveryCodesLeft(operator) : 0, csrf.getHeaderName(), csrf.getToken());
    }

    @SelfService(operatorsOnly = true)
    @PostMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change the password (needs the current one); ends the operator's other sessions")
    void changePassword(@Valid @RequestBody PasswordChangeRequest body, HttpServletRequest request) {
        account.changePassword(request, current.require(), body.currentPassword(), body.newPassword());
    }

    @SelfService(operatorsOnly = true, stepUpWhen = OperatorAccount.REPLACING_AUTHENTICATOR)
    @PostMapping("/mfa/totp/enrolment")
    @Operation(summary = "Start (or restart) TOTP enrolment: a new secret, its otpauth URI and QR code",
            description = "Replacing an enrolled authenticator needs step-up.")
    EnrolmentResponse startEnrolment() {
        OperatorAccount.Enrolment enrolment = account.enrolment(current.require(), true);
        return new EnrolmentResponse(enrolment.secretBase32(), enrolment.otpauthUri(),
                "data:image/png;base64," + Base64.getEncoder().encodeToString(enrolment.qrCodePng()));
    }

    @SelfService(operatorsOnly = true, stepUpWhen = OperatorAccount.REPLACING_AUTHENTICATOR)
    @PostMapping(path = "/mfa/totp/enrolment/confirmation", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Confirm the enrolment with a current code; returns 10 recovery codes, shown only now")
    RecoveryCodesResponse confirmEnrolment(@Valid @RequestBody CodeRequest body, HttpServletRequest request) {
        return new RecoveryCodesResponse(account.confirmEnrolment(request, current.require(), body.code()));
    }

    @SelfService(operatorsOnly = true)
    @PostMapping(path = "/step-up", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Re-verify with a TOTP code: sensitive actions are allowed for " + StepUp.STEP_UP_MINUTES_MAX + " minutes")
    void stepUp(@Valid @RequestBody CodeRequest body, HttpServletRequest request) {
        account.stepUp(request, current.require(), body.code());
    }

    @SelfService(operatorsOnly = true, stepUp = true)
    @PostMapping("/recovery-codes")
    @Operation(summary = "Replace all recovery codes (step-up required); returns the new ones, shown only now")
    RecoveryCodesResponse regenerateRecoveryCodes(HttpServletRequest request) {
        return new RecoveryCodesResponse(account.regenerateRecoveryCodes(request, current.require()));
    }

    @SelfService(operatorsOnly = true)
    @PostMapping("/sign-out")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End this session")
    void signOut(HttpServletRequest request) {
        sessions.signOut(request);
    }

    @SelfService(operatorsOnly = true)
    @PostMapping("/sign-out-everywhere")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End every session of this operator, on every node")
    void signOutEverywhere(HttpServletRequest request) {
        Operator operator = current.require();
        sessions.signOutEverywhere(operator.id());
        sessions.signOut(request);
    }

    private StepResponse step(SignInStep step, HttpServletRequest request, HttpServletResponse response) {
        return switch (step) {
            case SignInStep.Failed failed -> throw new ProblemException(OperatorProblems.SIGN_IN_FAILED,
                    "the username, password or code is wrong; start again with the password");
            case SignInStep.Throttled throttled -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
                throw new ProblemException(OperatorProblems.SIGN_IN_THROTTLED,
                        "too many failed attempts; try again in " + throttled.retryAfterSeconds() + " s");
            }
            case SignInStep.SecondFactorRequired required -> withCsrf("second-factor", request, response);
            case SignInStep.OnboardingRequired onboarding ->
                    withCsrf(onboarding.operator().mustChangePassword() ? "change-password" : "enrol-mfa", request, response);
            case SignInStep.SignedIn signedIn -> withCsrf("done", request, response);
        };
    }

    private StepResponse withCsrf(String next, HttpServletRequest request, HttpServletResponse response) {
        var token = sessions.csrfToken(request, response);
        return new StepResponse(next, token.getHeaderName(), token.getToken());
    }
}
