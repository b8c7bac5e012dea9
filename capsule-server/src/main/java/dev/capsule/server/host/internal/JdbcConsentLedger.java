package dev.capsule.server.host.internal;

import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.registry.MiniProgramId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The runtime's {@link ConsentLedger} in PostgreSQL, shared by every node: an append-only history of decisions
 * ({@code host_consent_events}: granted, denied or withdrawn; the purpose text shown; the {@link PrivacyDigest} it was
 * made under; how it was made; when) and each scope's current decision ({@code host_consent_current}), both written in
 * one transaction. The user id it is given is the pairwise id of the session ({@link PairwiseIds}); the shell's settings
 * page lists, withdraws and allows by the shell user ({@link #decisionsOf}, {@link #withdraw(ShellUserId, MiniProgramId,
 * String)}, {@link #allow(ShellUserId, MiniProgramId, String)}). What a decision answers is the runtime's
 * {@link ConsentLedger.Decision#answers}; nothing is cached, so every call reads the current row (one primary-key
 * lookup) and a withdrawal holds from a running session's next call on any node.
 *
 * <p>Security guarantees: the history cannot be changed or deleted (database triggers refuse UPDATE, DELETE and
 * TRUNCATE; the current row only moves to a later decision of its own scope); every decision, withdrawal and allowance
 * publishes a {@link HostEvent} in the same transaction (audited: {@code consent.decide}, {@code consent.withdraw},
 * {@code consent.allow}); a scope, purpose or id outside the documented shape is refused ({@link IllegalArgumentException}),
 * never stored; a user sees and changes only decisions under their own pairwise ids. Bounded: at most
 * {@link ConsentLedger#SCOPES_MAX} scopes and {@link #EVENTS_PER_APP_USER_MAX} history rows per (mini-program, user): a
 * prompt's answer beyond either is not remembered (asked again next time) and an allowance is refused, but a withdrawal
 * is always recorded (at most one beyond the limit, since nothing can be granted there); an answer identical to the
 * current decision appends nothing; {@link #decisionsOf} lists at most {@link #LISTED_MAX}. Writes of one (mini-program,
 * user) are serialised by a transaction-scoped advisory lock, so the limits are exact on every node.
 */
@Component
public class JdbcConsentLedger implements ConsentLedger {
    /** Most history rows per (mini-program, user): decisions that changed something, each one a person's action. */
    public static final int EVENTS_PER_APP_USER_MAX = 1_000;
    /** Most decisions the settings page lists for one user. */
    public static final int LISTED_MAX = 500;

    /** One current decision, as the settings page shows it. */
    public record Listed(MiniProgramId app, Decision decision) {
        public Listed {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /** What a withdrawal or an allowance in settings did. */
    public enum Change {
        /** Recorded. */
        CHANGED,
        /** The scope already stood so: nothing recorded. */
        UNCHANGED,
        /** The user has no decision on this scope of this mini-program. */
        NO_DECISION,
        /** An allowance beyond {@link #EVENTS_PER_APP_USER_MAX}: refused. */
        HISTORY_FULL
    }

    private static final String CURRENT = """
            SELECT c.scope, e.decision, e.purpose, e.privacy_digest, e.decided_at
            FROM host_consent_current c JOIN host_consent_events e ON e.id = c.event_id
            WHERE c.app_id = :a AND c.user_id = :u""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PairwiseIds pairwise;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    JdbcConsentLedger(JdbcClient jdbc, TransactionTemplate transactions, PairwiseIds pairwise, ApplicationEventPublisher events) {
        this(jdbc, transactions, pairwise, events, Clock.systemUTC());
    }

    JdbcConsentLedger(JdbcClient jdbc, TransactionTemplate transactions, PairwiseIds pairwise, ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.pairwise = pairwise;
        this.events = events;
        this.clock = clock;
    }

    /**
     * This ledger on {@code db}, the database of a user's region (docs/residency.md): a hosted session and the shell's
     * settings use the ledger of their user's region; the bean itself is the home region's.
     */
    JdbcConsentLedger in(RegionalDatabase db) {
        return db.jdbc() == jdbc ? this : new JdbcConsentLedger(db.jdbc(), db.transactions(), pairwise, events, clock);
    }

    @Override
    public Optional<Decision> current(String appId, String userId, String scope) {
        check(appId, userId, scope);
        return jdbc.sql(CURRENT + " AND c.scope = :s").param("a", appId).param("u", userId).param("s", scope)
                .query(JdbcConsentLedger::decision).optional();
    }

    @Override
    public SortedMap<String, Decision> decisions(String appId, String userId) {
        check(appId, userId, "scope");
        SortedMap<String, Decision> decisions = new TreeMap<>();
        jdbc.sql(CURRENT + " ORDER BY c.scope LIMIT :max").param("a", appId).param("u", userId).param("max", SCOPES_MAX)
                .query(JdbcConsentLedger::decision).list().forEach(d -> decisions.put(d.scope(), d));
        return decisions;
    }

    @Override
    public void record(String appId, String userId, Topic topic, boolean granted) {
        MiniProgramId app = check(appId, userId, topic.scope());
        State state = granted ? State.GRANTED : State.DENIED;
        transactions.executeWithoutResult(tx -> {
            lock(appId, userId);
            Optional<Decision> now = lockedCurrent(appId, userId, topic.scope());
            String refusal = null;
            if (now.isEmpty() && count("host_consent_current", appId, userId) >= SCOPES_MAX) {
                refusal = "too-many-scopes";
            } else if (now.filter(d -> d.state() == state && d.purpose().equals(topic.purpose())
                    && d.privacy().equals(Optional.of(topic.privacy()))).isEmpty()) {
                if (count("host_consent_events", appId, userId) >= EVENTS_PER_APP_USER_MAX) {
                    refusal = "history-full";
                } else {
                    append(appId, userId, topic.scope(), state, topic.purpose(), Optional.of(topic.privacy()), "prompt");
                }
            }
            events.publishEvent(new HostEvent(HostEvent.What.CONSENT_DECIDE, refusal == null ? "success" : "failure", Optional.of(app),
                    Optional.empty(), Optional.of(refusal == null ? (granted ? "allow" : "deny") : refusal)));
        });
    }

    @Override
    public boolean withdraw(String appId, String userId, String scope) {
        return change(check(appId, userId, scope), userId, scope, State.WITHDRAWN, Optional.empty()) == Change.CHANGED;
    }

    @Override
    public boolean allow(String appId, String userId, String scope) {
        return change(check(appId, userId, scope), userId, scope, State.GRANTED, Optional.empty()) == Change.CHANGED;
    }

    /** A shell user withdraws a scope of one mini-program in settings (from the next call, denied without a prompt). */
    public Change withdraw(ShellUserId user, MiniProgramId app, String scope) {
        String userId = pairwise.runtimeUserId(app, user);
        check(app.value(), userId, scope);
        return change(app, userId, scope, State.WITHDRAWN, Optional.of(user));
    }

    /** A shell user allows a scope of one mini-program again in settings, for the purpose and privacy text last shown. */
    public Change allow(ShellUserId user, MiniProgramId app, String scope) {
        String userId = pairwise.runtimeUserId(app, user);
        check(app.value(), userId, scope);
        return change(app, userId, scope, State.GRANTED, Optional.of(user));
    }

    private Change change(MiniProgramId app, String userId, String scope, State to, Optional<ShellUserId> user) {
        return transactions.execute(tx -> {
            lock(app.value(), userId);
            Optional<Decision> now = lockedCurrent(app.value(), userId, scope);
            Change change;
            if (now.isEmpty()) {
                change = Change.NO_DECISION;
            } else if (now.get().state() == to) {
                change = Change.UNCHANGED;
            } else if (to == State.GRANTED && count("host_consent_events", app.value(), userId) >= EVENTS_PER_APP_USER_MAX) {
                change = Change.HISTORY_FULL;
            } else {
                // The user acts on what they were shown: the decision keeps its purpose text and privacy version.
                append(app.value(), userId, scope, to, now.get().purpose(), now.get().privacy(), "settings");
                change = Change.CHANGED;
            }
            if (change == Change.CHANGED || change == Change.HISTORY_FULL) {
                events.publishEvent(new HostEvent(to == State.WITHDRAWN ? HostEvent.What.CONSENT_WITHDRAW : HostEvent.What.CONSENT_ALLOW,
                        change == Change.CHANGED ? "success" : "failure", Optional.of(app), user,
                        Optional.of(change == Change.CHANGED ? scope : "history-full")));
            }
            return change;
        });
    }

    /**
     * Every current decision of a shell user, by mini-program and scope: the rows under the user's pairwise id for
     * each mini-program that has any decision (at most {@link #LISTED_MAX}).
     */
    public List<Listed> decisionsOf(ShellUserId user) {
        Objects.requireNonNull(user, "user");
        List<String> apps = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (String appId : jdbc.sql("SELECT DISTINCT app_id FROM host_consent_current ORDER BY app_id").query(String.class).list()) {
            MiniProgramId.parse(appId).ifPresent(app -> {
                apps.add(appId);
                users.add(pairwise.runtimeUserId(app, user));
            });
        }
        // One read for every mini-program: the user's pairwise id differs per mini-program, so the pairs are passed in.
        return jdbc.sql("""
                        SELECT c.app_id, c.scope, e.decision, e.purpose, e.privacy_digest, e.decided_at
                        FROM host_consent_current c JOIN host_consent_events e ON e.id = c.event_id
                        WHERE (c.app_id, c.user_id) IN (SELECT * FROM unnest(CAST(:apps AS text[]), CAST(:users AS text[])))
                        ORDER BY c.app_id, c.scope LIMIT :max""")
                .param("apps", apps.toArray(String[]::new)).param("users", users.toArray(String[]::new)).param("max", LISTED_MAX)
                .query((rs, n) -> new Listed(MiniProgramId.of(rs.getString(1)), decisionAt(rs, 2))).list();
    }

    private void lock(String appId, String userId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('capsule.host.consent/1\n' || :a || '\n' || :u, 0))")
                .param("a", appId).param("u", userId).query((rs, n) -> 1).single();
    }

    private Optional<Decision> lockedCurrent(String appId, String userId, String scope) {
        return jdbc.sql(CURRENT + " AND c.scope = :s FOR UPDATE OF c").param("a", appId).param("u", userId).param("s", scope)
                .query(JdbcConsentLedger::decision).optional();
    }

    private long count(String table, String appId, String userId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE app_id = :a AND user_id = :u").param("a", appId).param("u", userId)
                .query(Long.class).single();
    }

    private void append(String appId, String userId, String scope, State state, String purpose, Optional<PrivacyDigest> privacy,
            String via) {
        long event = jdbc.sql("""
                INSERT INTO host_consent_events (app_id, user_id, scope, decision, purpose, privacy_digest, via, decided_at)
                VALUES (:a, :u, :s, :d, :p, :digest, :via, :t) RETURNING id""")
                .param("a", appId).param("u", userId).param("s", scope).param("d", state.name().toLowerCase(Locale.ROOT))
                .param("p", purpose).param("digest", privacy.map(PrivacyDigest::hex).orElse(null)).param("via", via)
                .param("t", Timestamp.from(clock.instant())).query(Long.class).single();
        jdbc.sql("""
                INSERT INTO host_consent_current (app_id, user_id, scope, event_id) VALUES (:a, :u, :s, :e)
                ON CONFLICT (app_id, user_id, scope) DO UPDATE SET event_id = EXCLUDED.event_id""")
                .param("a", appId).param("u", userId).param("s", scope).param("e", event).update();
    }

    private static Decision decision(ResultSet rs, int row) throws SQLException {
        return decisionAt(rs, 1);
    }

    /** The decision in the five columns from {@code first}: scope, decision, purpose, privacy digest, decided at. */
    private static Decision decisionAt(ResultSet rs, int first) throws SQLException {
        String digest = rs.getString(first + 3);
        return new Decision(rs.getString(first), State.valueOf(rs.getString(first + 1).toUpperCase(Locale.ROOT)), rs.getString(first + 2),
                Optional.ofNullable(digest).map(PrivacyDigest::parse), rs.getTimestamp(first + 4).toInstant());
    }

    private static MiniProgramId check(String appId, String userId, String scope) {
        MiniProgramId app = MiniProgramId.parse(appId)
                .orElseThrow(() -> new IllegalArgumentException("consent is recorded for a mini-program id"));
        if (userId == null || !CapsuleRuntime.isValidUserId(userId)) {
            throw new IllegalArgumentException("consent is recorded for a runtime user id");
        }
        ConsentLedger.requireScope(scope);
        return app;
    }
}
