package dev.capsule.runtime.release;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseFormatException;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.core.release.ReleaseVerifier;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Launches mini-programs from the platform's releases: fetches an app's release bundle over HTTPS, verifies it with
 * core's {@link ReleaseVerifier} against the pinned {@link PlatformTrust} and the client state file in the data
 * directory, stores the new state, checks the kill switch ({@link RevocationWatcher}), and launches the package
 * under its release's risk profile ({@link RiskPolicies}). One client per data directory.
 *
 * <pre>{@code
 * try (var client = ReleaseClient.start(ReleaseClient.Settings.of(URI.create("https://platform.example"), trust, dataDir))) {
 *     MiniProgramSession session = client.launch(runtime, "com.example.todo", "user-42", sink);
 * }
 * }</pre>
 *
 * <p>Security guarantees: a session launched here runs a package that the platform's release log includes (as the
 * entry the log's signed, fresh checkpoint vouches for, consistent with every checkpoint this client saw before),
 * that is developer-signed by the key the entry names and countersigned by the platform, that is not older than a
 * version this client launched before unless the log holds a rollback to it, that the newest fresh revocation list
 * does not revoke, and whose capsule.json {@code minRuntime} and the platform's minimum runtime this runtime meets;
 * its session has only its risk profile's API groups and limits, and is stopped when a later list revokes it. The
 * state is written (atomically) before the launch, so a crash cannot forget a checkpoint or version that was used.
 * Each refusal is a {@link ReleaseException} with the verifier's reason code, or a
 * {@link dev.capsule.runtime.LaunchRefusedException}.
 */
public final class ReleaseClient implements AutoCloseable {
    /** How long fetching one bundle may take (it can be 20 MiB). */
    public static final Duration BUNDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Where the platform is and how far to trust it.
     *
     * @param platform the platform server's base URL ({@code https://HOST[:PORT]})
     * @param trust the platform trust file, pinned by the operator out of band
     * @param dataDirectory where the client state file lives (created if missing)
     * @param tls the TLS trust for the platform (for example one pinned to its development certificate); empty: the JDK's CAs
     * @param checkpointAgeMax the oldest release-log checkpoint accepted (freeze protection)
     * @param revocationPoll how often the revocation list is fetched ({@code REVOCATION_POLL})
     * @param revocationAgeMax how old the newest verified revocation list may be before new sessions are refused
     * @param clock the clock freshness is judged by
     */
    public record Settings(URI platform, PlatformTrust trust, Path dataDirectory, Optional<SSLContext> tls, Duration checkpointAgeMax,
            Duration revocationPoll, Duration revocationAgeMax, Clock clock) {
        public Settings {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(trust, "trust");
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(checkpointAgeMax, "checkpointAgeMax");
            Objects.requireNonNull(revocationPoll, "revocationPoll");
            Objects.requireNonNull(revocationAgeMax, "revocationAgeMax");
            Objects.requireNonNull(clock, "clock");
        }

        /** The defaults: the JDK's CA trust, 24 h checkpoint age, 2 s poll, 2 h revocation list age, the system clock. */
        public static Settings of(URI platform, PlatformTrust trust, Path dataDirectory) {
            return new Settings(platform, trust, dataDirectory, Optional.empty(), ReleaseVerifier.CHECKPOINT_AGE_MAX_DEFAULT,
                    RevocationWatcher.POLL_DEFAULT, RevocationWatcher.AGE_MAX_DEFAULT, Clock.systemUTC());
        }

        public Settings withTls(SSLContext context) {
            return new Settings(platform, trust, dataDirectory, Optional.of(context), checkpointAgeMax, revocationPoll, revocationAgeMax, clock);
        }

        public Settings withCheckpointAgeMax(Duration age) {
            return new Settings(platform, trust, dataDirectory, tls, age, revocationPoll, revocationAgeMax, clock);
        }

        public Settings withRevocationPoll(Duration interval) {
            return new Settings(platform, trust, dataDirectory, tls, checkpointAgeMax, interval, revocationAgeMax, clock);
        }

        public Settings withRevocationAgeMax(Duration age) {
            return new Settings(platform, trust, dataDirectory, tls, checkpointAgeMax, revocationPoll, age, clock);
        }
    }

    private final PlatformEndpoint endpoint;
    private final ClientStateFile state;
    private final ReleaseVerifier verifier;
    private final RevocationWatcher revocations;

    private ReleaseClient(Settings settings) throws ReleaseException {
        this.state = new ClientStateFile(settings.dataDirectory());
        state.read(); // an unreadable state file refuses now, not at the first launch
        this.endpoint = new PlatformEndpoint(settings.platform(), settings.tls());
        this.verifier = new ReleaseVerifier(settings.trust(), settings.clock(), settings.checkpointAgeMax());
        this.revocations = new RevocationWatcher(endpoint, settings.trust(), state, settings.revocationPoll(), settings.revocationAgeMax(),
                settings.clock());
    }

    /**
     * A client whose revocation watcher is polling.
     *
     * @throws ReleaseException {@code state} if the state file exists but cannot be read
     * @throws IllegalArgumentException for settings out of range (a non-https URL, a poll interval over 3 s, …)
     */
    public static ReleaseClient start(Settings settings) throws ReleaseException {
        ReleaseClient client = new ReleaseClient(settings);
        client.revocations.start();
        return client;
    }

    /** The kill switch as this client sees it. */
    public RevocationWatcher revocations() {
        return revocations;
    }

    /**
     * Fetches and verifies the current release of {@code appId} for {@code userId} (the platform's staged rollout
     * chooses the version by it), and stores the client state the verification produced.
     *
     * @throws ReleaseException with the verifier's reason code, or {@code unreachable}, {@code malformed}, {@code state}
     */
    public synchronized ReleaseOutcome.Verified fetch(String appId, String userId) throws ReleaseException {
        if (!CapsuleManifest.isValidId(appId)) {
            throw new IllegalArgumentException("an app id is reverse-DNS in lower case, like com.example.todo");
        }
        if (!CapsuleRuntime.isValidUserId(userId)) {
            throw new IllegalArgumentException("user id must be " + CapsuleRuntime.USER_ID_RULE);
        }
        ReleaseClientState before = state.read();
        long since = before.checkpoint().map(c -> c.size()).orElse(0L);
        byte[] json;
        try {
            json = endpoint.bundle(appId, userId, since, ReleaseBundle.JSON_BYTES_MAX, BUNDLE_TIMEOUT);
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.UNREACHABLE, "cannot fetch the release of " + appId + ": " + e.getMessage());
        }
        ReleaseBundle bundle;
        try {
            bundle = ReleaseBundle.parse(json);
        } catch (ReleaseFormatException e) {
            throw new ReleaseException(ReleaseException.MALFORMED, "the platform's release bundle: " + e.getMessage());
        }
        return switch (verifier.verify(appId, bundle, before)) {
            case ReleaseOutcome.Rejected r -> throw new ReleaseException(r.reason().code(), "release refused (" + r.reason().code() + "): " + r.message());
            case ReleaseOutcome.Verified v -> {
                // The watcher may have raised the revocation sequence meanwhile: keep the higher one.
                state.update(now -> new ReleaseClientState(v.newState().checkpoint(), v.newState().versions(),
                        Math.max(now.revocationSequence(), v.newState().revocationSequence())));
                yield v;
            }
        };
    }

    /**
     * Fetches, verifies and launches the current release of {@code appId} for {@code userId} in {@code runtime}, under
     * its risk profile, and watches the session for revocation. The kill switch is consulted first: without a fresh
     * revocation list (after one immediate attempt to fetch one) the launch is refused.
     *
     * <p>Every refusal is audited through the runtime's {@code AuditSink} ({@code launch refused}, outcome its code).
     *
     * @throws ReleaseException the release was refused or could not be fetched
     * @throws dev.capsule.runtime.LaunchRefusedException revoked, no fresh revocation list, or a runtime too old
     */
    public MiniProgramSession launch(CapsuleRuntime runtime, String appId, String userId, EventSink sink) throws ReleaseException, StorageException {
        if (revocations.fresh().isEmpty()) {
            revocations.refresh();
        }
        ReleaseOutcome.Verified release;
        try {
            try {
                release = fetch(appId, userId);
            } catch (ReleaseException e) {
                // A platform that withdrew a revoked release serves no bundle for it (HTTP 410). The answer is not signed,
                // so it only refuses; when the signed list revokes the version this client last verified, say that.
                Optional<SemanticVersion> last = state.read().highestVersion(appId);
                if (last.isPresent()) {
                    revocations.checkLaunch(appId, last.get().toString());
                }
                throw e;
            }
            revocations.checkLaunch(appId, release.entry().version());
        } catch (ReleaseException e) {
            runtime.auditRefusedLaunch(appId, userId, e.code(), e.getMessage());
            throw e;
        } catch (dev.capsule.runtime.LaunchRefusedException e) {
            runtime.auditRefusedLaunch(appId, userId, e.reason().code(), e.getMessage());
            throw e;
        }
        MiniProgramSession session = runtime.launch(release, userId, sink, RiskPolicies.of(release.entry().preset()));
        revocations.watch(appId, release.entry().version(), session);
        return session;
    }

    /** Stops the revocation watcher and the HTTP client; sessions launched go on (unwatched). */
    @Override
    public void close() {
        revocations.close();
        endpoint.close();
    }
}
