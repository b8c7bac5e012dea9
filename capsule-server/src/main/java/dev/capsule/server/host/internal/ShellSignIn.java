package dev.capsule.server.host.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.registry.MiniProgramId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * How end users sign in to the shell: session grants (issued to a super-app's backend, exchanged once by the
 * browser) and the shell sessions they become, both in PostgreSQL so that every node knows them.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>Grant and session tokens are 256 random bits (base64url, 43 characters); only their SHA-256 is stored, so a
 *       copy of the database signs nobody in.
 *   <li>A grant is single use and short-lived: the exchange marks it used in the same statement that checks it is
 *       unused and unexpired, so two browsers racing with one grant get one session; its lifetime is at most
 *       {@code capsule.host.grant-seconds-max}.
 *   <li>A shell session ends at its expiry ({@code capsule.host.shell-session-seconds}) whatever the cookie's
 *       lifetime; a demo session exists only while demo users are on (checked at every request, so turning them off
 *       ends every demo session).
 *   <li>Every grant, every exchange and every refused exchange publishes a {@link HostEvent} (audited).
 * </ul>
 */
@Component
public class ShellSignIn {
    /** Characters of a token: 32 random bytes in base64url without padding. */
    public static final int TOKEN_CHARS = 43;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_CHARS + "}");
    /** Lifetime of a grant when the super-app does not ask for one (capped at grant-seconds-max). */
    public static final long GRANT_SECONDS_DEFAULT = 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A grant as issued: the token (shown once, never stored) and its expiry. */
    public record IssuedGrant(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedGrant[<token redacted>, expires " + expiresAt + "]";
        }
    }

    /** A shell session as a request finds it: who, and the CSRF token of its forms. */
    public record ShellSession(ShellPrincipal principal, String csrfToken) {
        @Override
        public String toString() {
            return "ShellSession[" + (principal.demo() ? "demo" : "user") + ", <csrf redacted>]";
        }
    }

    /** A session just started: the cookie's token (set once in the response, never stored) and the session. */
    public record Entered(String cookieToken, ShellSession session) {
        @Override
        public String toString() {
            return "Entered[<token redacted>, " + session + "]";
        }
    }

    private final Placements placements;
    private final Residency residency;
    private final HostSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    @Autowired
    ShellSignIn(Placements placements, Residency residency, HostSettings settings, ApplicationEventPublisher events) {
        this(placements, residency, settings, events, Clock.systemUTC());
    }

    ShellSignIn(Placements placements, Residency residency, HostSettings settings, ApplicationEventPublisher events, Clock clock) {
        this.placements = placements;
        this.residency = residency;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** {@link #issue(String, ShellUserId, Optional, long, RegionId)} in the home region (the default of a grant). */
    public IssuedGrant issue(String actor, ShellUserId user, Optional<MiniProgramId> app, long seconds) {
        return issue(actor, user, app, seconds, residency.home());
    }

    /**
     * Issues a grant for {@code user} (and only {@code app}, when given) valid {@code seconds}, placing the user's data
     * in {@code region} at their first grant; the grant itself is kept in that region's database.
     *
     * @param actor the access module's actor id of the caller ({@code apikey:<id>})
     * @throws IllegalArgumentException if {@code seconds} is not 1 to {@code grant-seconds-max}
     * @throws ProblemException         {@link ProblemType#RESIDENCY} for a region the installation does not have or a
     *                                  user placed in another region (audited as a failed grant)
     */
    public IssuedGrant issue(String actor, ShellUserId user, Optional<MiniProgramId> app, long seconds, RegionId region) {
        Objects.requireNonNull(actor, "actor");
        if (seconds < 1 || seconds > settings.grantSecondsMax()) {
            events.publishEvent(new HostEvent(HostEvent.What.GRANT_ISSUE, "failure", app, Optional.of(user), Optional.of("seconds-out-of-range"),
                    Optional.of(actor)));
            throw new IllegalArgumentException("seconds must be 1 to " + settings.grantSecondsMax());
        }
        RegionalDatabase db;
        try {
            db = placements.place(user, region);
        } catch (ProblemException e) {
            events.publishEvent(new HostEvent(HostEvent.What.GRANT_ISSUE, "failure", app, Optional.of(user), Optional.of("residency"),
                    Optional.of(actor)));
            throw e;
        }
        String token = newToken();
        Instant now = now();
        Instant expires = now.plusSeconds(seconds);
        db.jdbc().sql("""
                INSERT INTO host_grants (token_hash, user_id, app_id, issued_by, issued_at, expires_at)
                VALUES (:h, :u, :a, :by, :at, :exp)""")
                .param("h", hash(token)).param("u", user.value()).param("a", app.map(MiniProgramId::value).orElse(null))
                .param("by", actor).param("at", Timestamp.from(now)).param("exp", Timestamp.from(expires)).update();
        events.publishEvent(new HostEvent(HostEvent.What.GRANT_ISSUE, "success", app, Optional.of(user), Optional.empty(), Optional.of(actor)));
        return new IssuedGrant(token, expires);
    }

    /**
     * Exchanges a grant for a shell session, once; empty (audited as a denial) for a token that is malformed,
     * unknown, used or expired, which all look alike to the caller.
     */
    public Optional<Entered> exchange(String grantToken) {
        if (grantToken == null || !TOKEN.matcher(grantToken).matches()) {
            denied("grant-malformed");
            return Optional.empty();
        }
        Instant now = now();
        // A grant is kept in its user's region: looked for in each region's database (at most Residency.REGIONS_MAX).
        Optional<GrantRow> grant = Optional.empty();
        RegionalDatabase found = null;
        for (RegionalDatabase db : residency.databases()) {
            grant = db.jdbc().sql("""
                    UPDATE host_grants SET used_at = :now
                    WHERE token_hash = :h AND used_at IS NULL AND expires_at > :now
                    RETURNING user_id, app_id""")
                    .param("now", Timestamp.from(now)).param("h", hash(grantToken))
                    .query((rs, n) -> new GrantRow(new ShellUserId(rs.getString(1)), Optional.ofNullable(rs.getString(2)).flatMap(MiniProgramId::parse)))
                    .optional();
            if (grant.isPresent()) {
                found = db;
                break;
            }
        }
        if (grant.isEmpty()) {
            denied("grant-unknown-used-or-expired");
            return Optional.empty();
        }
        Entered entered = start(grant.get().user(), grant.get().app(), false, found);
        events.publishEvent(new HostEvent(HostEvent.What.SHELL_ENTER, "success", grant.get().app(), Optional.of(grant.get().user()),
                Optional.of("grant")));
        return Optional.of(entered);
    }

    /**
     * Signs a demo user in (demo users only; the caller checked the user is one of {@link DemoUsers}).
     *
     * @throws IllegalStateException if demo users are off
     */
    public Entered enterDemo(ShellUserId demoUser) {
        if (!settings.demoUsers()) {
            denied("demo-users-off");
            throw new IllegalStateException("demo users are off");
        }
        // Demo users live in the home region.
        Entered entered = start(demoUser, Optional.empty(), true, placements.place(demoUser, residency.home()));
        events.publishEvent(new HostEvent(HostEvent.What.SHELL_ENTER, "success", Optional.empty(), Optional.of(demoUser), Optional.of("demo")));
        return entered;
    }

    /** The live session a cookie token names; empty for anything else (malformed, unknown, expired, demo while demo users are off). */
    public Optional<ShellSession> session(String cookieToken) {
        if (cookieToken == null || !TOKEN.matcher(cookieToken).matches()) {
            return Optional.empty();
        }
        // A session is kept in its user's region: looked for in each region's database, the home region's first.
        Timestamp now = Timestamp.from(now());
        for (RegionalDatabase db : residency.databases()) {
            Optional<ShellSession> found = db.jdbc().sql("""
                    SELECT user_id, app_id, demo, csrf_token, expires_at FROM host_shell_sessions
                    WHERE token_hash = :h AND expires_at > :now""")
                    .param("h", hash(cookieToken)).param("now", now)
                    .query((rs, n) -> new ShellSession(new ShellPrincipal(new ShellUserId(rs.getString(1)),
                            Optional.ofNullable(rs.getString(2)).flatMap(MiniProgramId::parse), rs.getBoolean(3), rs.getTimestamp(5).toInstant(),
                            db.region()), rs.getString(4)))
                    .optional();
            if (found.isPresent()) {
                return found.filter(session -> !session.principal().demo() || settings.demoUsers());
            }
        }
        return Optional.empty();
    }

    /** Ends the session a cookie token names (idempotent). */
    public void signOut(String cookieToken) {
        if (cookieToken != null && TOKEN.matcher(cookieToken).matches()) {
            for (RegionalDatabase db : residency.databases()) {
                db.jdbc().sql("DELETE FROM host_shell_sessions WHERE token_hash = :h").param("h", hash(cookieToken)).update();
            }
        }
    }

    private Entered start(ShellUserId user, Optional<MiniProgramId> app, boolean demo, RegionalDatabase db) {
        String token = newToken();
        String csrf = newToken();
        Instant now = now();
        Instant expires = now.plusSeconds(settings.shellSessionSeconds());
        db.jdbc().sql("""
                INSERT INTO host_shell_sessions (token_hash, user_id, app_id, demo, csrf_token, created_at, expires_at)
                VALUES (:h, :u, :a, :d, :c, :at, :exp)""")
                .param("h", hash(token)).param("u", user.value()).param("a", app.map(MiniProgramId::value).orElse(null))
                .param("d", demo).param("c", csrf).param("at", Timestamp.from(now)).param("exp", Timestamp.from(expires)).update();
        return new Entered(token, new ShellSession(new ShellPrincipal(user, app, demo, expires, db.region()), csrf));
    }

    /** Audits a refused sign-in (the reason is a fixed code). */
    void denied(String reason) {
        events.publishEvent(new HostEvent(HostEvent.What.SHELL_ENTER, "denied", Optional.empty(), Optional.empty(), Optional.of(reason)));
    }

    private Instant now() {
        // Whole microseconds: what PostgreSQL stores, so an expiry read back equals the one handed out.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hash(String token) {
        return Sha256.of(token.getBytes(StandardCharsets.US_ASCII)).bytes();
    }

    private record GrantRow(ShellUserId user, Optional<MiniProgramId> app) {
    }
}
