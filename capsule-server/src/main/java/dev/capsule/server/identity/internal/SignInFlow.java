package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.recovery.RecoveryCodes;
import dev.capsule.core.auth.recovery.RecoveryOutcome;
import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Sign-in: username and password, then a second factor (TOTP or a recovery code), then a session.
 *
 * <p>Security guarantees: the password step always answers "send a second factor" unless the account
 * is throttled or has no second factor yet (onboarding with the right password), so an unknown user
 * and a wrong password cannot be told apart, and a password guess is only confirmed together with a
 * valid code; every failure of the second step ends the attempt (back to the password) and looks the
 * same; unknown users cost the same Argon2id and TOTP work; every attempt is throttled per account and
 * address and audited with a reason code; a TOTP code is accepted once (atomic replay rule) and a
 * recovery code is burnt atomically.
 */
@Component
class SignInFlow {
    static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,62}");
    /** Typed usernames longer than this are not looked up (and count as unknown). */
    static final int USERNAME_CHARS_MAX = 63;

    private final OperatorStore store;
    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final OperatorSessions sessions;
    private final TotpCodes totp;
    private final ApplicationEventPublisher audit;
    private final List<Sha256> dummyRecoveryHashes = RecoveryCodes.generate().hashes();

    SignInFlow(OperatorStore store, Passwords passwords, SignInThrottle throttle, OperatorSessions sessions, TotpCodes totp,
            ApplicationEventPublisher audit) {
        this.store = store;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.totp = totp;
        this.audit = audit;
    }

    /** Lower-cased and stripped, as usernames are stored. */
    static String normalizeUsername(String typed) {
        return typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    }

    SignInStep password(HttpServletRequest request, String usernameTyped, String password) {
        String username = normalizeUsername(usernameTyped);
        String address = request.getRemoteAddr();
        SignInThrottle.Keys keys = SignInThrottle.Keys.of(username, address);
        Optional<Duration> blocked = throttle.blocked(keys);
        if (blocked.isPresent()) {
            audit.publishEvent(SecurityEvent.failure(AuditEventType.SIGN_IN_PASSWORD, null, null, "throttled", address));
            return new SignInStep.Throttled(blocked.get());
        }
        Optional<Operator> operator = username.length() <= USERNAME_CHARS_MAX && USERNAME.matcher(username).matches()
                ? store.findByUsername(username) : Optional.empty();
        boolean passwordOk = passwords.matches(password, operator.map(Operator::passwordHash).orElse(null));
        OperatorId id = operator.map(Operator::operatorId).orElse(null);
        if (!passwordOk) {
            throttle.failure(keys);
            audit.publishEvent(SecurityEvent.failure(AuditEventType.SIGN_IN_PASSWORD, id, id, operator.isPresent() ? "wrong-password" : "unknown-account", address));
        } else if (operator.get().disabled()) {
            passwordOk = false;
            audit.publishEvent(SecurityEvent.failure(AuditEventType.SIGN_IN_PASSWORD, id, id, "disabled", address));
        } else if (!operator.get().mfaEnrolled()) {
            throttle.success(keys);
            sessions.startWithoutSecondFactor(request, id.value());
            audit.publishEvent(SecurityEvent.success(AuditEventType.SIGN_IN_PASSWORD, id, id, address));
            return new SignInStep.OnboardingRequired(operator.get());
        } else {
            audit.publishEvent(SecurityEvent.success(AuditEventType.SIGN_IN_PASSWORD, id, id, address));
        }
        sessions.startPending(request, operator.map(Operator::id), passwordOk, keys.account());
        return new SignInStep.SecondFactorRequired();
    }

    SignInStep totpCode(HttpServletRequest request, String code) {
        return secondFactor(request, AuditEventType.SIGN_IN_TOTP, (operator, ok) -> {
            if (!ok) {
                totp.verify(null, code, java.util.OptionalLong.empty());
                return Optional.of("not-eligible");
            }
            TotpOutcome outcome = totp.verify(totp.enrolledSecret(operator), code, operator.lastStep());
            return switch (outcome) {
                case TotpOutcome.Accepted accepted -> store.acceptTotpStep(operator.id(), accepted.step())
                        ? Optional.empty() : Optional.of("replayed");
                case TotpOutcome.Rejected rejected -> Optional.of(rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            };
        });
    }

    SignInStep recoveryCode(HttpServletRequest request, String code) {
        return secondFactor(request, AuditEventType.SIGN_IN_RECOVERY_CODE, (operator, ok) -> {
            List<Sha256> stored = ok ? store.recoveryCodeHashes(operator.id()) : dummyRecoveryHashes;
            RecoveryOutcome outcome = RecoveryCodes.verify(code, stored);
            if (!ok) {
                return Optional.of("not-eligible");
            }
            return switch (outcome) {
                case RecoveryOutcome.Matched matched -> store.burnRecoveryCode(operator.id(), matched.storedHash())
                        ? Optional.empty() : Optional.of("replayed");
                case RecoveryOutcome.Rejected rejected -> Optional.of(rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            };
        });
    }

    /** Checks a code for an operator; returns empty if accepted, else the audit reason. */
    private interface CodeCheck {
        Optional<String> check(Operator operator, boolean eligible);
    }

    private SignInStep secondFactor(HttpServletRequest request, AuditEventType eventType, CodeCheck check) {
        String address = request.getRemoteAddr();
        Optional<OperatorSessions.Pending> pending = sessions.pending(request);
        if (pending.isEmpty()) {
            audit.publishEvent(SecurityEvent.failure(eventType, null, null, "no-pending-sign-in", address));
            sessions.signOut(request);
            return new SignInStep.Failed();
        }
        SignInThrottle.Keys keys = new SignInThrottle.Keys(pending.get().accountKey(), "ip:" + address);
        Optional<Duration> blocked = throttle.blocked(keys);
        if (blocked.isPresent()) {
            audit.publishEvent(SecurityEvent.failure(eventType, null, pending.get().operatorId().map(OperatorId::of).orElse(null), "throttled", address));
            return new SignInStep.Throttled(blocked.get());
        }
        Optional<Operator> operator = pending.get().operatorId().flatMap(store::findById);
        boolean eligible = pending.get().passwordOk() && operator.isPresent() && operator.get().mfaEnrolled() && !operator.get().disabled();
        Operator subject = operator.orElse(null);
        Optional<String> failure = check.check(eligible ? subject : null, eligible);
        OperatorId id = operator.map(Operator::operatorId).orElse(null);
        if (failure.isPresent()) {
            throttle.failure(keys);
            audit.publishEvent(SecurityEvent.failure(eventType, id, id, failure.get(), address));
            sessions.signOut(request);
            return new SignInStep.Failed();
        }
        throttle.success(keys);
        sessions.completeSecondFactor(request, id.value());
        audit.publishEvent(SecurityEvent.success(eventType, id, id, address));
        Operator signedIn = subject;
        return signedIn.onboardingRequired() ? new SignInStep.OnboardingRequired(signedIn) : new SignInStep.SignedIn(signedIn);
    }
}
