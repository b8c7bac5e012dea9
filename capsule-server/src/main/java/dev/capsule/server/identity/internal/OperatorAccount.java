package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.password.PasswordCheck;
import dev.capsule.core.auth.recovery.GeneratedRecoveryCodes;
import dev.capsule.core.auth.recovery.RecoveryCodes;
import dev.capsule.core.auth.totp.OtpAuthUri;
import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.access.StepUp;
import dev.capsule.server.platform.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * What an operator does to their own account: change the password, enrol TOTP (and get recovery
 * codes), step up, regenerate recovery codes. Problems are thrown as {@link ProblemException}.
 *
 * <p>Security guarantees: a password change needs the current password (throttled and audited like
 * sign-in) and ends the operator's other sessions; enrolment shows the secret only while it is pending
 * and takes effect only with a valid code for it; replacing an enrolled authenticator and regenerating
 * recovery codes need step-up; recovery codes are shown once and stored only as hashes.
 */
@Component
class OperatorAccount {
    /** When enrolling MFA needs step-up (declared on its endpoints for docs/rbac.md; checked here, from the account). */
    static final String REPLACING_AUTHENTICATOR = "an authenticator is already enrolled (replacing it)";
    static final String TOTP_ISSUER = "Capsule";

    private final OperatorStore store;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final OperatorSessions sessions;
    private final TotpCodes totp;
    private final StepUp stepUp;
    private final ApplicationEventPublisher audit;
    private final Clock clock;

    OperatorAccount(OperatorStore store, Passwords passwords, SignInThrottle throttle, OperatorSessions sessions, TotpCodes totp,
            StepUp stepUp, ApplicationEventPublisher audit, IdentityClock clock) {
        this.store = store;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.totp = totp;
        this.stepUp = stepUp;
        this.audit = audit;
        this.clock = clock.clock();
    }

    /** A TOTP secret being enrolled: shown to the operator, never logged. */
    record Enrolment(String secretBase32, String otpauthUri, byte[] qrCodePng) {
        @Override
        public String toString() {
            return "Enrolment[<redacted>]";
        }
    }

    void changePassword(HttpServletRequest request, Operator operator, String current, String replacement) {
        String address = request.getRemoteAddr();
        SignInThrottle.Keys keys = SignInThrottle.Keys.of(operator.username(), address);
        if (throttle.blocked(keys).isPresent()) {
            audit.publishEvent(SecurityEvent.failure(AuditEventType.PASSWORD_CHANGE, operator.operatorId(), operator.operatorId(), "throttled", address));
            throw new ProblemException(OperatorProblems.SIGN_IN_THROTTLED, "too many failed attempts; try again later");
        }
        if (!passwords.matches(current, operator.passwordHash())) {
            throttle.failure(keys);
            audit.publishEvent(SecurityEvent.failure(AuditEventType.PASSWORD_CHANGE, operator.operatorId(), operator.operatorId(), "wrong-password", address));
            throw new ProblemException(OperatorProblems.CURRENT_PASSWORD_WRONG, "the current password is wrong");
        }
        if (replacement != null && replacement.equals(current)) {
            throw new ProblemException(OperatorProblems.PASSWORD_REJECTED, "the new password must differ from the current one");
        }
        if (passwords.check(replacement, operator.username()) instanceof PasswordCheck.Rejected rejected) {
            audit.publishEvent(SecurityEvent.failure(AuditEventType.PASSWORD_CHANGE, operator.operatorId(), operator.operatorId(),
                    "policy-" + rejected.rule().name().toLowerCase(Locale.ROOT).replace('_', '-'), address));
            throw new ProblemException(OperatorProblems.PASSWORD_REJECTED, rejected.message());
        }
        store.changePassword(operator.id(), passwords.hash(replacement), clock.instant());
        // Others first: the database knows this session by its current id until the rotated one is saved.
        sessions.signOutOthers(operator.id(), request);
        sessions.rotate(request);
        audit.publishEvent(SecurityEvent.success(AuditEventType.PASSWORD_CHANGE, operator.operatorId(), operator.operatorId(), address));
    }

    /**
     * The pending enrolment, started if there is none (or {@code restart}). Needs the one-time password
     * changed first; replacing an enrolled authenticator needs step-up.
     */
    Enrolment enrolment(Operator operator, boolean restart) {
        if (operator.mustChangePassword()) {
            throw new ProblemException(OperatorProblems.ONBOARDING_REQUIRED, "change the one-time password before enrolling MFA");
        }
        if (operator.mfaEnrolled()) {
            stepUp.require("replacing an enrolled authenticator");
        }
        TotpSecret secret;
        if (operator.totpPendingSealed() != null && !restart) {
            secret = totp.pendingSecret(operator);
        } else {
            secret = TotpSecret.generate();
            store.setPendingTotp(operator.id(), totp.seal(secret, operator.id()));
        }
        SecretAccess access = SecretAccess.grant();
        OtpAuthUri uri = OtpAuthUri.forOperator(TOTP_ISSUER, operator.username(), secret);
        return new Enrolment(secret.base32(access), uri.text(access), uri.qrCodePng(access));
    }

    /** Confirms the pending enrolment with a code from the authenticator; returns the new recovery codes (show once). */
    List<String> confirmEnrolment(HttpServletRequest request, Operator operator, String code) {
        String address = request.getRemoteAddr();
        if (operator.totpPendingSealed() == null) {
            throw new ProblemException(OperatorProblems.NO_ENROLMENT_PENDING, "start an enrolment first");
        }
        if (operator.mfaEnrolled()) {
            stepUp.require("replacing an enrolled authenticator");
        }
        TotpOutcome outcome = totp.verify(totp.pendingSecret(operator), code, OptionalLong.empty());
        if (!(outcome instanceof TotpOutcome.Accepted accepted)) {
            audit.publishEvent(SecurityEvent.failure(AuditEventType.MFA_ENROL, operator.operatorId(), operator.operatorId(), "code-rejected", address));
            throw new ProblemException(OperatorProblems.CODE_REJECTED,
                    "that code does not match the new secret; check the authenticator's clock and type the current code");
        }
        GeneratedRecoveryCodes codes = RecoveryCodes.generate();
        if (!store.confirmTotp(operator.id(), operator.totpPendingSealed(), accepted.step(), codes.hashes())) {
            throw new ProblemException(OperatorProblems.NO_ENROLMENT_PENDING, "the enrolment was restarted meanwhile; start again");
        }
        sessions.markMfa(request);
        audit.publishEvent(SecurityEvent.success(AuditEventType.MFA_ENROL, operator.operatorId(), operator.operatorId(), address));
        return codes.codes(SecretAccess.grant());
    }

    /** Checks a current TOTP code (replay rule applies) and refreshes the session's step-up time. */
    void stepUp(HttpServletRequest request, Operator operator, String code) {
        String address = request.getRemoteAddr();
        SignInThrottle.Keys keys = SignInThrottle.Keys.of(operator.username(), address);
        if (throttle.blocked(keys).isPresent()) {
            audit.publishEvent(SecurityEvent.failure(AuditEventType.MFA_STEP_UP, operator.operatorId(), operator.operatorId(), "throttled", address));
            throw new ProblemException(OperatorProblems.SIGN_IN_THROTTLED, "too many failed attempts; try again later");
        }
        TotpOutcome outcome = totp.verify(totp.enrolledSecret(operator), code, operator.lastStep());
        boolean accepted = outcome instanceof TotpOutcome.Accepted ok && store.acceptTotpStep(operator.id(), ok.step());
        if (!accepted) {
            throttle.failure(keys);
            audit.publishEvent(SecurityEvent.failure(AuditEventType.MFA_STEP_UP, operator.operatorId(), operator.operatorId(), "code-rejected", address));
            throw new ProblemException(OperatorProblems.CODE_REJECTED, "the code was not accepted (each code works once)");
        }
        throttle.success(keys);
        sessions.markMfa(request);
        audit.publishEvent(SecurityEvent.success(AuditEventType.MFA_STEP_UP, operator.operatorId(), operator.operatorId(), address));
    }

    /** Replaces all recovery codes (the endpoint declares step-up); returns the new ones, to show once. */
    List<String> regenerateRecoveryCodes(HttpServletRequest request, Operator operator) {
        GeneratedRecoveryCodes codes = RecoveryCodes.generate();
        store.replaceRecoveryCodes(operator.id(), codes.hashes());
        audit.publishEvent(SecurityEvent.success(AuditEventType.RECOVERY_CODES_REPLACE, operator.operatorId(), operator.operatorId(), request.getRemoteAddr()));
        return codes.codes(SecretAccess.grant());
    }

    int recoveryCodesLeft(Operator operator) {
        return store.recoveryCodeHashes(operator.id()).size();
    }
}
