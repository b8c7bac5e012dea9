package dev.capsule.server.host.internal;

import dev.capsule.runtime.LaunchOptions;
import dev.capsule.runtime.LaunchRefusedException;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.host.internal.LaunchSource.LaunchRefusal;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.registry.MiniProgramId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The node's session host: starts hosted sessions on the node's one runtime ({@link HostRuntime}) for shell users, holds
 * them while their browsers come and go, and ends them (idle, exited, restarted, shutdown). Sessions are per node: a
 * browser whose node is gone is told its session ended and opens a new one.
 *
 * <p>Limits (docs/host.md, "Limits"): {@code capsule.host.sessions-per-node-max} sessions at once on the node and
 * {@code sessions-per-user-max} per user, counted with sessions still starting; a session without any browser frame
 * or (re)connection for {@code idle-seconds} ends, and so does one whose shell session expired. Each refusal is a {@link HostEvent} ({@code SESSION_REFUSE}) with
 * a fixed reason code; each start and end is one too.
 *
 * <p>Security guarantees: a session is started only for a principal that {@link ShellPrincipal#mayOpen may open} the
 * app, from the first {@link LaunchSource} that knows it (a source that refuses stops the search: fail closed); it
 * runs under the user's pairwise id ({@link PairwiseIds}); a resume is accepted only for the same user and app, and
 * an unknown, foreign or ended session id is answered exactly like one that never existed. One session's failure
 * (its violation, a fault while sending to its browser) ends that session alone.
 */
@Component
class SessionHost implements HostedSessions, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SessionHost.class);
    /** How often the idle sweep runs, at most (it runs more often when idle-seconds is shorter). */
    static final long IDLE_SWEEP_SECONDS_MAX = 10;

    /** A session the host would not start: a fixed code (the audit detail) and a sentence the shell shows. */
    static final class Refused extends Exception {
        final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final HostRuntime runtime;
    private final HostSettings settings;
    private final ObjectProvider<LaunchSource> sources;
    private final PairwiseIds pairwise;
    private final SessionServices services;
    private final StorageUse storageUse;
    private final RegionalStorage storage;
    private final Residency residency;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final LongSupplier nanos;
    private final Map<HostedSessionId, HostedSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("capsule-host-idle").daemon().factory());

    SessionHost(HostRuntime runtime, HostSettings settings, ObjectProvider<LaunchSource> sources, PairwiseIds pairwise,
            SessionServices services, StorageUse storageUse, RegionalStorage storage, Residency residency, ApplicationEventPublisher events,
            MeterRegistry meters) {
        this.storage = storage;
        this.residency = residency;
        this.runtime = runtime;
        this.settings = settings;
        this.sources = sources;
        this.pairwise = pairwise;
        this.services = services;
        this.storageUse = storageUse;
        this.events = events;
        this.meters = meters;
        this.nanos = System::nanoTime;
        Gauge.builder("capsule.host.sessions", this, SessionHost::open)
                .description("Hosted mini-program sessions open on this node").register(meters);
        Gauge.builder("capsule.host.workers.ready", runtime, HostRuntime::readyWorkers)
                .description("Worker processes started and waiting for a session").register(meters);
        long sweep = Math.max(1, Math.min(IDLE_SWEEP_SECONDS_MAX, settings.idleSeconds() / 2));
        sweeper.scheduleWithFixedDelay(this::sweepIdle, sweep, sweep, TimeUnit.SECONDS);
    }

    @Override
    public int open() {
        return sessions.size();
    }

    /**
     * Starts a session of {@code app} for {@code who} with {@code link} as its browser; the browser gets the
     * {@code open} frame and then its pages. Blocks while the runtime launches (a worker start).
     *
     * @throws Refused with the reason the browser is told ({@code ended}) and the audit records
     */
    HostedSession start(ShellPrincipal who, MiniProgramId app, BrowserLink link) throws Refused {
        if (!who.mayOpen(app)) {
            throw refuse(who, app, "not-allowed", "This sign-in may not open this mini-program.");
        }
        LaunchPlan plan = plan(who, app);
        HostedSession hosted = new HostedSession(HostedSessionId.random(), who, plan, settings, nanos.getAsLong());
        String userId = pairwise.runtimeUserId(app, who.user());
        synchronized (this) {
            // Counted with sessions still starting: the limits hold while launches run concurrently.
            if (sessions.size() >= settings.sessionsPerNodeMax()) {
                throw refuse(who, app, "node-limit", "This server has as many mini-programs open as it may; try again later.");
            }
            if (openBy(who.user()) >= settings.sessionsPerUserMax()) {
                throw refuse(who, app, "user-limit", "You have " + settings.sessionsPerUserMax()
                        + " mini-programs open; close one to open another.");
            }
            // The area is in the user's region; said before the session is listed, so whoever ends it forgets it after.
            storage.opened(app.value(), userId, who.region());
            sessions.put(hosted.id, hosted);
        }
        hosted.attach(link, who.demo(), nanos.getAsLong());
        MiniProgramSession session;
        try {
            // Before the mini-program can touch its storage: the retention sweep never erases an area in use.
            storageUse.used(residency.database(who.region()), app, userId);
            var sessionServices = services.of(hosted);
            LaunchOptions options = LaunchOptions.DEFAULT;
            session = switch (plan) {
                case LaunchPlan.Released released -> runtime.get().launch(released.release(), userId, sink(hosted), released.policy(), options,
                        sessionServices);
                case LaunchPlan.Preview preview -> runtime.get().launchUnverified(preview.pkg(), userId, sink(hosted), options, sessionServices);
            };
        } catch (LaunchRefusedException e) {
            if (sessions.remove(hosted.id, hosted)) {
                storage.closed(app.value(), userId);
            }
            hosted.discard();
            throw refuse(who, app, "launch-" + e.reason().code(), "The platform refused to start this mini-program: " + e.getMessage());
        } catch (StorageException | RuntimeException e) {
            if (sessions.remove(hosted.id, hosted)) {
                storage.closed(app.value(), userId);
            }
            hosted.discard();
            // A worker that could not start (sandbox, worker limit), storage that cannot be opened: the host's own fault.
            log.warn("a hosted session of {} could not start: {}", app, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw refuse(who, app, "start-failed", "The mini-program could not be started on this server; try again later.");
        }
        // Recorded before the browser gets its first page.
        events.publishEvent(new HostEvent(HostEvent.What.SESSION_OPEN, "success", Optional.of(app), Optional.of(who.user()),
                Optional.of(hosted.dev ? "preview" : "released")));
        counter("capsule.host.sessions.opened", "tier", hosted.dev ? "preview" : "released").increment();
        hosted.started(session);
        return hosted;
    }

    /**
     * The session {@code id} for {@code who} and {@code app}, to attach a reconnected browser: empty when it does not
     * exist on this node, has ended, or belongs to another user or app (all alike).
     */
    Optional<HostedSession> resumable(ShellPrincipal who, MiniProgramId app, HostedSessionId id) {
        return find(who.user(), id).filter(s -> s.app.equals(app));
    }

    /** A running session of {@code user} (page stylesheets and assets are served only to its own user). */
    Optional<HostedSession> find(ShellUserId user, HostedSessionId id) {
        return Optional.ofNullable(sessions.get(id)).filter(s -> !s.ended() && s.user().equals(user));
    }

    /** One browser frame for a session (its bucket, parse and checks: {@link HostedSession#receive}). */
    void receive(HostedSession hosted, String text) {
        hosted.receive(text, nanos.getAsLong());
    }

    @Override
    public void restart(MiniProgramId app, String reason) {
        for (HostedSession hosted : List.copyOf(sessions.values())) {
            if (hosted.app.equals(app)) {
                end(hosted, HostedSession.End.RESTARTED, Optional.of(reason));
            }
        }
    }

    /** Ends a session once (the runtime's session, its prompts, its browser) and records why. */
    void end(HostedSession hosted, HostedSession.End why, Optional<String> reloadReason) {
        if (sessions.remove(hosted.id, hosted)) {
            storage.closed(hosted.app.value(), pairwise.runtimeUserId(hosted.app, hosted.user()));
        }
        hosted.end(why, reloadReason, () -> {
            events.publishEvent(new HostEvent(HostEvent.What.SESSION_END, why == HostedSession.End.STOPPED ? "failure" : "success",
                    Optional.of(hosted.app), Optional.of(hosted.user()), Optional.of(why.code)));
            counter("capsule.host.sessions.ended", "reason", why.code).increment();
        });
    }

    private dev.capsule.runtime.EventSink sink(HostedSession hosted) {
        return event -> {
            hosted.accept(event);
            if (event instanceof RuntimeEvent.Exit exit) {
                // Ended by the runtime (ran to its end, or stopped for a violation): this session alone.
                Thread.ofVirtual().start(() -> end(hosted, exit.code() == 0 ? HostedSession.End.EXITED : HostedSession.End.STOPPED,
                        Optional.empty()));
            }
        };
    }

    private LaunchPlan plan(ShellPrincipal who, MiniProgramId app) throws Refused {
        for (LaunchSource source : sources.orderedStream().toList()) {
            try {
                Optional<LaunchPlan> plan = source.plan(who, app);
                if (plan.isPresent()) {
                    if (!plan.get().entry().app().equals(app)) {
                        throw refuse(who, app, "source-mismatch", "This mini-program cannot be opened.");
                    }
                    return plan.get();
                }
            } catch (LaunchRefusal e) {
                throw refuse(who, app, safeCode(e.code()), e.getMessage());
            }
        }
        throw refuse(who, app, "not-found", "No mini-program with this id can be opened here.");
    }

    /** Ends every session of {@code user} on this node (their data is being erased); returns how many. */
    int endAllOf(ShellUserId user, HostedSession.End why) {
        int ended = 0;
        for (HostedSession hosted : List.copyOf(sessions.values())) {
            if (hosted.user().equals(user)) {
                end(hosted, why, Optional.empty());
                ended++;
            }
        }
        return ended;
    }

    private int openBy(ShellUserId user) {
        return (int) sessions.values().stream().filter(s -> s.user().equals(user)).count();
    }

    private Refused refuse(ShellPrincipal who, MiniProgramId app, String code, String message) {
        events.publishEvent(new HostEvent(HostEvent.What.SESSION_REFUSE, "denied", Optional.of(app), Optional.of(who.user()), Optional.of(code)));
        counter("capsule.host.sessions.refused", "reason", code).increment();
        return new Refused(code, message);
    }

    private Counter counter(String name, String tag, String value) {
        return Counter.builder(name).tag(tag, value).register(meters);
    }

    /** A launch source's refusal code as an audit detail: its fixed vocabulary, or a neutral word. */
    static String safeCode(String code) {
        return code != null && code.matches("[a-z][a-z0-9-]{0,63}") ? code : "refused";
    }

    private void sweepIdle() {
        long now = nanos.getAsLong();
        long idle = TimeUnit.SECONDS.toNanos(settings.idleSeconds());
        for (HostedSession hosted : List.copyOf(sessions.values())) {
            try {
                if (hosted.session().isEmpty()) {
                    continue; // still launching
                }
                if (java.time.Instant.now().isAfter(hosted.principal.expires())) {
                    end(hosted, HostedSession.End.EXPIRED, Optional.empty());
                } else if (now - hosted.lastActiveNanos() >= idle) {
                    end(hosted, HostedSession.End.IDLE, Optional.empty());
                }
            } catch (RuntimeException e) {
                log.warn("ending idle session {} failed: {}", hosted.id, e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
        for (HostedSession hosted : List.copyOf(sessions.values())) {
            end(hosted, HostedSession.End.SHUTDOWN, Optional.empty());
        }
    }
}
