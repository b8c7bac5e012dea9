package dev.capsule.runtime.release;

import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.RevocationList;
import dev.capsule.core.release.RevocationOutcome;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.LaunchRefusedException;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeVersion;
import dev.capsule.runtime.StopReason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps a host's view of the platform's kill switch current: polls the signed revocation list every
 * {@code revocationPoll} (default {@link #POLL_DEFAULT}), verifies it with core's {@link RevocationList#verify}
 * against the platform trust file and the highest sequence the client has seen (kept in the client state file),
 * stops running sessions of a revoked version, and answers whether a new session may start. Made and started by
 * {@link ReleaseClient}, which launches through it.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>A running session this watcher watches whose app version a verified list revokes is stopped with
 *       {@link StopReason#REVOKED} within one poll interval plus one fetch of the list (under 5 s with the default
 *       2 s poll and a responsive platform), in both isolation tiers ({@link MiniProgramSession#stop}).
 *   <li>Fail closed: while the newest list verified was issued longer ago than {@code revocationAgeMax} (default
 *       {@link #AGE_MAX_DEFAULT}), or none verified yet, new sessions are refused
 *       ({@code no-fresh-revocation-list}), whatever the reason (platform unreachable, lists refused, replayed or
 *       expired); running sessions go on. A list with a lower sequence than one seen, an expired one, one signed by
 *       a key of another purpose or for another origin is never used.
 *   <li>A verified list whose platform minimum runtime version is above {@link RuntimeVersion#current()} refuses every
 *       new session ({@code runtime-below-platform-minimum}) and stops every watched session
 *       ({@link StopReason#RUNTIME_BELOW_MINIMUM}).
 * </ul>
 * Not guaranteed: stopping a session within 5 s when the platform cannot be reached (then nothing new can be
 * learned; the age limit bounds how long new sessions still start).
 */
public final class RevocationWatcher implements AutoCloseable {
    /** How often the list is fetched by default ({@code REVOCATION_POLL}). */
    public static final Duration POLL_DEFAULT = Duration.ofSeconds(2);
    /** The shortest poll interval a host may set (the platform serves every runtime). */
    public static final Duration POLL_MIN = Duration.ofMillis(100);
    /** The longest: a revoked session must stop within 5 s, which one poll plus one fetch must fit. */
    public static final Duration POLL_MAX = Duration.ofSeconds(3);
    /** How old the newest verified list may be before new sessions are refused: the server re-issues it every hour. */
    public static final Duration AGE_MAX_DEFAULT = Duration.ofHours(2);
    /** How long one fetch of the list may take. */
    public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    private record Watched(String appId, String version, MiniProgramSession session) {}

    private final PlatformEndpoint endpoint;
    private final PlatformTrust trust;
    private final ClientStateFile state;
    private final Duration poll;
    private final Duration ageMax;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final Thread poller;
    private final Object refreshing = new Object();
    private volatile RevocationList current;
    private volatile String belowMinimum;
    private volatile String lastProblem = "no revocation list verified yet";
    private volatile boolean closed;

    RevocationWatcher(PlatformEndpoint endpoint, PlatformTrust trust, ClientStateFile state, Duration poll, Duration ageMax, Clock clock) {
        this.endpoint = endpoint;
        this.trust = trust;
        this.state = state;
        if (poll.compareTo(POLL_MIN) < 0 || poll.compareTo(POLL_MAX) > 0) {
            throw new IllegalArgumentException("the revocation poll interval must be " + POLL_MIN.toMillis() + " ms to " + POLL_MAX.toSeconds() + " s");
        }
        if (ageMax.isNegative() || ageMax.isZero() || ageMax.compareTo(RevocationList.VALIDITY_MAX) > 0) {
            throw new IllegalArgumentException("the revocation list's maximum age must be positive and at most " + RevocationList.VALIDITY_MAX.toDays() + " days");
        }
        this.poll = poll;
        this.ageMax = ageMax;
        this.clock = clock;
        this.poller = Thread.ofPlatform().daemon(true).name("capsule-revocations").unstarted(this::run);
    }

    void start() {
        poller.start();
    }

    /**
     * Fetches and verifies the list now (the poller does this every interval); stops what it revokes. True when a
     * fresh list is in hand afterwards.
     */
    public boolean refresh() {
        synchronized (refreshing) {
            try {
                byte[] envelope = endpoint.revocations(RevocationList.ENVELOPE_BYTES_MAX, FETCH_TIMEOUT);
                long seen = state.read().revocationSequence();
                switch (RevocationList.verify(envelope, trust, seen, clock.instant(), ageMax, RuntimeVersion.current())) {
                    case RevocationOutcome.Verified v -> accept(v.list());
                    case RevocationOutcome.Rejected r when r.reason() == RevocationOutcome.Reason.RUNTIME_BELOW_MINIMUM -> runtimeBelowMinimum(r.message());
                    case RevocationOutcome.Rejected r -> lastProblem = r.message();
                }
            } catch (IOException e) {
                lastProblem = "the revocation list could not be fetched from " + endpoint.base() + ": " + e.getMessage();
            } catch (ReleaseException e) {
                lastProblem = e.getMessage();
            }
            return fresh().isPresent();
        }
    }

    /**
     * Refuses a new session of {@code version} of {@code appId} unless a fresh list is in hand, does not revoke it,
     * and does not require a newer runtime.
     *
     * @throws LaunchRefusedException with the reason, in one line
     */
    public void checkLaunch(String appId, String version) {
        if (belowMinimum != null) {
            throw new LaunchRefusedException(LaunchRefusedException.Reason.RUNTIME_BELOW_PLATFORM_MINIMUM, belowMinimum);
        }
        RevocationList list = fresh().orElseThrow(() -> new LaunchRefusedException(LaunchRefusedException.Reason.NO_FRESH_REVOCATION_LIST,
                "refusing to start " + appId + ": no revocation list of the platform verified within " + describe(ageMax)
                        + " (fail closed): " + lastProblem));
        list.revocation(appId, version).ifPresent(r -> {
            throw new LaunchRefusedException(LaunchRefusedException.Reason.REVOKED, revokedText(r));
        });
    }

    /** Watches a running session of {@code version} of {@code appId}: stopped when a list revokes it (at once if the current one does). */
    public void watch(String appId, String version, MiniProgramSession session) {
        Watched w = new Watched(Objects.requireNonNull(appId, "appId"), Objects.requireNonNull(version, "version"),
                Objects.requireNonNull(session, "session"));
        watched.add(w);
        RevocationList list = current;
        if (belowMinimum != null) {
            session.stop(StopReason.RUNTIME_BELOW_MINIMUM, belowMinimum);
        } else if (list != null) {
            list.revocation(appId, version).ifPresent(r -> session.stop(StopReason.REVOKED, revokedText(r)));
        }
    }

    /** The newest verified list, if it is still within the maximum age. */
    public Optional<RevocationList> fresh() {
        RevocationList list = current;
        Instant now = clock.instant();
        return list != null && now.isBefore(list.expires()) && Duration.between(list.issued(), now).compareTo(ageMax) <= 0
                ? Optional.of(list) : Optional.empty();
    }

    /** Why the last poll did not bring a list, for the host's log (escaped). */
    public String lastProblem() {
        return SafeText.escape(lastProblem);
    }

    private void accept(RevocationList list) throws ReleaseException {
        state.update(s -> s.withRevocationSequence(list.sequence()));
        RevocationList previous = current;
        if (previous == null || list.sequence() >= previous.sequence()) {
            current = list;
        }
        lastProblem = "none";
        belowMinimum = null; // the platform lowered its minimum again
        watched.removeIf(w -> w.session().ended());
        for (Watched w : watched) {
            list.revocation(w.appId(), w.version()).ifPresent(r -> w.session().stop(StopReason.REVOKED, revokedText(r)));
        }
    }

    private void runtimeBelowMinimum(String message) {
        belowMinimum = message;
        lastProblem = message;
        watched.removeIf(w -> w.session().ended());
        watched.forEach(w -> w.session().stop(StopReason.RUNTIME_BELOW_MINIMUM, message));
    }

    private static String revokedText(RevocationList.Revoked r) {
        return "version " + r.version() + " of " + r.appId() + " was revoked by the platform: " + r.reason();
    }

    private static String describe(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toMillis() + " ms";
    }

    private void run() {
        while (!closed) {
            refresh();
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops polling; watched sessions are not touched. */
    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }
}
