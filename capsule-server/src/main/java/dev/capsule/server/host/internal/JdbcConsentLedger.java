package dev.capsule.server.host.internal;

import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.registry.MiniProgramId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The runtime's {@link ConsentLedger} in PostgreSQL ({@code host_consent}), shared by every node: a user's
 * remembered decision holds wherever their next session runs. The user id it is given is the pairwise id of the
 * session ({@link PairwiseIds}); the shell's settings page reads and revokes decisions by the shell user
 * ({@link #decisionsOf}, {@link #revoke(ShellUserId, MiniProgramId, String)}).
 *
 * <p>Security guarantees: {@link #record} and every revocation publish a {@link HostEvent} (audited:
 * {@code consent.decide}, {@code consent.revoke}); a scope or id outside the documented shape is refused
 * ({@link IllegalArgumentException}), never stored; a user sees and revokes only decisions under their own pairwise
 * ids. Bounded: at most {@link #SCOPES_MAX} decisions per (mini-program, user) are kept (a further new scope is
 * refused, so the prompt is asked again next time) and {@link #decisionsOf} lists at most {@link #LISTED_MAX}.
 */
@Component
public class JdbcConsentLedger implements ConsentLedger {
    /** Most remembered scopes per (mini-program, user); the runtime knows fewer than 20 scopes. */
    public static final int SCOPES_MAX = 64;
    /** Most decisions the settings page lists for one user. */
    public static final int LISTED_MAX = 500;
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** One remembered decision, as the settings page shows it. */
    public record Decision(MiniProgramId app, String scope, boolean granted, java.time.Instant decidedAt) {
        public Decision {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }
    }

    private final JdbcClient jdbc;
    private final PairwiseIds pairwise;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    JdbcConsentLedger(JdbcClient jdbc, PairwiseIds pairwise, ApplicationEventPublisher events) {
        this(jdbc, pairwise, events, Clock.systemUTC());
    }

    JdbcConsentLedger(JdbcClient jdbc, PairwiseIds pairwise, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.pairwise = pairwise;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Optional<Boolean> decision(String appId, String userId, String scope) {
        check(appId, userId, scope);
        return jdbc.sql("SELECT granted FROM host_consent WHERE app_id = :a AND user_id = :u AND scope = :s")
                .param("a", appId).param("u", userId).param("s", scope).query(Boolean.class).optional();
    }

    @Override
    public void record(String appId, String userId, String scope, boolean granted) {
        MiniProgramId app = check(appId, userId, scope);
        int stored = jdbc.sql("""
                INSERT INTO host_consent (app_id, user_id, scope, granted, decided_at)
                SELECT :a, :u, :s, :g, :t
                WHERE EXISTS (SELECT 1 FROM host_consent WHERE app_id = :a AND user_id = :u AND scope = :s)
                   OR (SELECT count(*) FROM host_consent WHERE app_id = :a AND user_id = :u) < :max
                ON CONFLICT (app_id, user_id, scope) DO UPDATE SET granted = EXCLUDED.granted, decided_at = EXCLUDED.decided_at""")
                .param("a", appId).param("u", userId).param("s", scope).param("g", granted)
                .param("t", Timestamp.from(clock.instant())).param("max", SCOPES_MAX).update();
        events.publishEvent(new HostEvent(HostEvent.Kind.CONSENT_DECIDE, stored == 1 ? "success" : "failure",
                Optional.of(app), Optional.empty(), Optional.of(stored == 1 ? (granted ? "allow" : "deny") : "too-many-scopes")));
    }

    @Override
    public Map<String, Boolean> decisions(String appId, String userId) {
        check(appId, userId, "scope");
        Map<String, Boolean> decisions = new TreeMap<>();
        jdbc.sql("SELECT scope, granted FROM host_consent WHERE app_id = :a AND user_id = :u ORDER BY scope LIMIT :max")
                .param("a", appId).param("u", userId).param("max", SCOPES_MAX)
                .query((rs, n) -> decisions.put(rs.getString(1), rs.getBoolean(2))).list();
        return decisions;
    }

    @Override
    public void revoke(String appId, String userId, String scope) {
        MiniProgramId app = check(appId, userId, scope);
        if (delete(appId, userId, scope)) {
            events.publishEvent(new HostEvent(HostEvent.Kind.CONSENT_REVOKE, "success", Optional.of(app), Optional.empty(),
                    Optional.empty()));
        }
    }

    private boolean delete(String appId, String userId, String scope) {
        return jdbc.sql("DELETE FROM host_consent WHERE app_id = :a AND user_id = :u AND scope = :s")
                .param("a", appId).param("u", userId).param("s", scope).update() > 0;
    }

    /**
     * Every remembered decision of a shell user, by mini-program and scope: the rows under the user's pairwise id
     * for each mini-program that has any decision (at most {@link #LISTED_MAX}).
     */
    public List<Decision> decisionsOf(ShellUserId user) {
        Objects.requireNonNull(user, "user");
        List<String> apps = jdbc.sql("SELECT DISTINCT app_id FROM host_consent ORDER BY app_id").query(String.class).list();
        List<Decision> found = new ArrayList<>();
        for (String appId : apps) {
            Optional<MiniProgramId> app = MiniProgramId.parse(appId);
            if (app.isEmpty() || found.size() >= LISTED_MAX) {
                continue;
            }
            jdbc.sql("SELECT scope, granted, decided_at FROM host_consent WHERE app_id = :a AND user_id = :u ORDER BY scope LIMIT :max")
                    .param("a", appId).param("u", pairwise.runtimeUserId(app.get(), user)).param("max", SCOPES_MAX)
                    .query((rs, n) -> new Decision(app.get(), rs.getString(1), rs.getBoolean(2), rs.getTimestamp(3).toInstant()))
                    .list().stream().limit(LISTED_MAX - found.size()).forEach(found::add);
        }
        return found;
    }

    /** Revokes a shell user's decision for one mini-program and scope; false when there was none. */
    public boolean revoke(ShellUserId user, MiniProgramId app, String scope) {
        String userId = pairwise.runtimeUserId(app, user);
        check(app.value(), userId, scope);
        boolean present = delete(app.value(), userId, scope);
        if (present) {
            events.publishEvent(new HostEvent(HostEvent.Kind.CONSENT_REVOKE, "success", Optional.of(app), Optional.of(user),
                    Optional.empty()));
        }
        return present;
    }

    private static MiniProgramId check(String appId, String userId, String scope) {
        MiniProgramId app = MiniProgramId.parse(appId)
                .orElseThrow(() -> new IllegalArgumentException("consent is recorded for a mini-program id"));
        if (userId == null || !dev.capsule.runtime.CapsuleRuntime.isValidUserId(userId)) {
            throw new IllegalArgumentException("consent is recorded for a runtime user id");
        }
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("a consent scope is 1-64 characters of letters, digits and . _ : -");
        }
        return app;
    }
}
