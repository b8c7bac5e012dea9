package dev.capsule.server.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.stereotype.Component;

/**
 * The operator state kept in the server-side session (Spring Session JDBC, so every node sees it).
 * Attributes are plain strings and numbers, never objects, secrets or codes.
 *
 * <p>Security guarantees: signing in (the password step) always starts a new session (new id, new
 * CSRF token), and every privilege change (second factor, password change, enrolment, step-up) rotates
 * the session id; sessions end after {@link #IDLE_MINUTES_MAX} idle minutes (Spring Session) and
 * {@link #ABSOLUTE_HOURS_MAX} hours after the password step whatever the activity; sign-out everywhere
 * deletes every session of the operator from the database.
 */
@Component
class OperatorSessions {
    static final int IDLE_MINUTES_MAX = 30;
    static final int ABSOLUTE_HOURS_MAX = 12;
    /** Time allowed between the password step and the second factor. */
    static final int SECOND_FACTOR_MINUTES_MAX = 5;

    static final String OPERATOR = "capsule.identity.operator";
    static final String STAGE = "capsule.identity.stage";
    static final String PASSWORD_OK = "capsule.identity.password-ok";
    static final String ACCOUNT_KEY = "capsule.identity.account-key";
    static final String STARTED_AT = "capsule.identity.started-at";
    static final String MFA_AT = "capsule.identity.mfa-at";
    private static final String STAGE_SECOND_FACTOR = "second-factor";
    private static final String STAGE_SIGNED_IN = "signed-in";

    private final FindByIndexNameSessionRepository<?> repository;
    private final HttpSessionCsrfTokenRepository csrfTokens;
    private final Clock clock;

    OperatorSessions(FindByIndexNameSessionRepository<?> repository, HttpSessionCsrfTokenRepository csrfTokens, IdentityClock clock) {
        this.repository = repository;
        this.csrfTokens = csrfTokens;
        this.clock = clock.clock();
    }

    /** Between the password step and the second factor. {@code operatorId} is empty for an unknown name. */
    record Pending(Optional<UUID> operatorId, boolean passwordOk, String accountKey, Instant startedAt) {
    }

    /** Past the password (and the second factor, if the operator has one enrolled). */
    record Active(UUID operatorId, Instant startedAt, Optional<Instant> mfaAt) {
    }

    /** Replaces any session with a new one waiting for the second factor. */
    void startPending(HttpServletRequest request, Optional<UUID> operatorId, boolean passwordOk, String accountKey) {
        HttpSession session = fresh(request);
        session.setAttribute(STAGE, STAGE_SECOND_FACTOR);
        operatorId.ifPresent(id -> session.setAttribute(OPERATOR, id.toString()));
        session.setAttribute(PASSWORD_OK, passwordOk);
        session.setAttribute(ACCOUNT_KEY, accountKey);
        session.setAttribute(STARTED_AT, clock.millis());
    }

    /** Replaces any session with a signed-in one for an operator with no second factor yet (onboarding). */
    void startWithoutSecondFactor(HttpServletRequest request, UUID operatorId) {
        HttpSession session = fresh(request);
        signedIn(session, operatorId);
        session.setAttribute(STARTED_AT, clock.millis());
    }

    /** The pending session passed its second factor: signed in, MFA now. */
    void completeSecondFactor(HttpServletRequest request, UUID operatorId) {
        HttpSession session = request.getSession(false);
        session.removeAttribute(PASSWORD_OK);
        session.removeAttribute(ACCOUNT_KEY);
        signedIn(session, operatorId);
        markMfa(request);
    }

    /** A second factor was just checked (step-up, enrolment): refreshes the step-up time, rotates the id. */
    void markMfa(HttpServletRequest request) {
        request.getSession(false).setAttribute(MFA_AT, clock.millis());
        request.changeSessionId();
    }

    /** A privilege change without a second factor (password changed): rotates the id. */
    void rotate(HttpServletRequest request) {
        request.changeSessionId();
    }

    Optional<Pending> pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !STAGE_SECOND_FACTOR.equals(session.getAttribute(STAGE))) {
            return Optional.empty();
        }
        Instant started = Instant.ofEpochMilli((Long) session.getAttribute(STARTED_AT));
        if (clock.instant().isAfter(started.plus(Duration.ofMinutes(SECOND_FACTOR_MINUTES_MAX)))) {
            return Optional.empty();
        }
        Object id = session.getAttribute(OPERATOR);
        return Optional.of(new Pending(Optional.ofNullable(id).map(value -> UUID.fromString((String) value)),
                Boolean.TRUE.equals(session.getAttribute(PASSWORD_OK)), (String) session.getAttribute(ACCOUNT_KEY), started));
    }

    /** The active session, unless absent, pending, or past its absolute lifetime (then it is ended). */
    Optional<Active> active(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !STAGE_SIGNED_IN.equals(session.getAttribute(STAGE))) {
            return Optional.empty();
        }
        Instant started = Instant.ofEpochMilli((Long) session.getAttribute(STARTED_AT));
        if (!clock.instant().isBefore(absoluteEnd(started))) {
            session.invalidate();
            return Optional.empty();
        }
        Object mfa = session.getAttribute(MFA_AT);
        return Optional.of(new Active(UUID.fromString((String) session.getAttribute(OPERATOR)), started,
                Optional.ofNullable(mfa).map(value -> Instant.ofEpochMilli((Long) value))));
    }

    static Instant absoluteEnd(Instant started) {
        return started.plus(Duration.ofHours(ABSOLUTE_HOURS_MAX));
    }

    void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** Deletes every session of the operator, on every node; returns how many there were. */
    int signOutEverywhere(UUID operatorId) {
        var sessions = repository.findByPrincipalName(operatorId.toString());
        sessions.keySet().forEach(repository::deleteById);
        return sessions.size();
    }

    /** Deletes every other session of the operator (after a password change). */
    void signOutOthers(UUID operatorId, HttpServletRequest request) {
        HttpSession current = request.getSession(false);
        String keep = current == null ? "" : current.getId();
        repository.findByPrincipalName(operatorId.toString()).keySet().stream()
                .filter(id -> !id.equals(keep)).forEach(repository::deleteById);
    }

    /** A CSRF token for the current session (created for JSON clients, which send it in a header). */
    CsrfToken csrfToken(HttpServletRequest request, HttpServletResponse response) {
        CsrfToken token = csrfTokens.loadToken(request);
        if (token == null) {
            token = csrfTokens.generateToken(request);
            csrfTokens.saveToken(token, request, response);
        }
        return token;
    }

    private void signedIn(HttpSession session, UUID operatorId) {
        session.setAttribute(STAGE, STAGE_SIGNED_IN);
        session.setAttribute(OPERATOR, operatorId.toString());
        session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, operatorId.toString());
    }

    private static HttpSession fresh(HttpServletRequest request) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        return request.getSession(true);
    }
}
