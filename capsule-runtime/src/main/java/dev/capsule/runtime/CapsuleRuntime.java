package dev.capsule.runtime;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.Verification;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.runtime.internal.EngineWarmUp;
import dev.capsule.runtime.internal.Sessions;
import dev.capsule.runtime.internal.Watchdog;
import dev.capsule.runtime.internal.WorkerPool;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.host.AuditEvent;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * The embeddable container. One runtime per host process: it holds the shared GraalJS engine (its
 * code cache serves every session) and the watchdog; each {@link #launch} starts an isolated session.
 *
 * <p>Security guarantees (tier 1, in-process): each session's JavaScript runs in its own GraalJS
 * context under {@code SandboxPolicy.CONSTRAINED}: no host classes, no I/O (package files reach
 * {@code require} through the runtime, read-only), no threads, processes, environment or native
 * access, no eval or Function constructor. The guest reaches the host only through the wx bridge,
 * whose arguments are copied as plain data before any check. CPU per event is bounded by a statement
 * budget and a wall clock; allocation per event is measured and bounded. NOT guaranteed in-process:
 * a cap on retained heap (a session can hold memory across events up to what the JVM has) and
 * protection against engine bugs — the worker-process tier (issue 4) adds OS isolation for that.
 */
public final class CapsuleRuntime implements AutoCloseable {
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    /** What a user id may be, in words, for the caller's own error message. */
    public static final String USER_ID_RULE = "1-128 characters of letters, digits and . _ @ -";
    /** The audit action of a launch refused before a session existed. */
    public static final String REFUSED_LAUNCH_ACTION = "launch refused";

    private final Engine engine;
    private final Watchdog watchdog;
    private final WorkerPool workers;
    private final RuntimeLimits limits;
    private final HostServices services;
    private final Storage storage;
    private final GuardedHttpClient http;
    private volatile boolean engineFaulted;

    /** An in-process runtime (tier 1). */
    public CapsuleRuntime(RuntimeLimits limits, HostServices services, Storage storage, GuardedHttpClient http) {
        this(Isolation.IN_PROCESS, limits, services, storage, http, WorkerLimits.DEFAULTS);
    }

    /**
     * A runtime with the given isolation. {@link Isolation#PROCESS} starts a pool of worker
     * processes at once (see {@link WorkerLimits}); on Linux it needs bubblewrap and fails with what
     * to install when it is missing.
     */
    public CapsuleRuntime(Isolation isolation, RuntimeLimits limits, HostServices services, Storage storage, GuardedHttpClient http,
            WorkerLimits workerLimits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.services = Objects.requireNonNull(services, "services");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.http = Objects.requireNonNull(http, "http");
        Objects.requireNonNull(workerLimits, "workerLimits");
        if (Objects.requireNonNull(isolation, "isolation") == Isolation.PROCESS) {
            this.engine = null;
            this.watchdog = null;
            this.workers = new WorkerPool(workerLimits);
        } else {
            this.engine = Engine.newBuilder("js")
                    .sandbox(SandboxPolicy.CONSTRAINED)
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    .option("engine.WarnInterpreterOnly", "false")
                    .build();
            EngineWarmUp.run(engine);
            this.watchdog = new Watchdog();
            EngineWarmUp.sessionOnce(engine, watchdog);
            this.workers = null;
        }
    }

    /** The isolation this runtime gives its sessions. */
    public Isolation isolation() {
        return workers == null ? Isolation.IN_PROCESS : Isolation.PROCESS;
    }

    /** Pre-started workers waiting for a launch (0 in-process): for metrics and benchmarks. */
    public int readyWorkers() {
        return workers == null ? 0 : workers.ready();
    }

    /** With process isolation: true when workers run under an OS sandbox, false for plain processes (no sandbox on this OS). */
    public boolean sandboxed() {
        return workers != null && workers.sandboxed();
    }

    /**
     * False once a session hit an internal engine failure (for example a GraalJS class that failed to
     * initialise under stack exhaustion): such damage can affect every later session of this engine,
     * so the runtime refuses new launches; the JVM never retries a failed class, so the host process must restart.
     */
    public boolean healthy() {
        return !engineFaulted;
    }

    /**
     * Launches a package whose signatures were verified against the host's trust policy.
     *
     * <p>Security guarantees: the session's storage area and every other per-app state are keyed by
     * the package's app id, and a {@link Verification.Verified} exists only if every trusted key that
     * signed the package is bound to that app id by the host's policy ({@code TrustPolicy},
     * {@code PackageVerifier}), so a package cannot reach another developer's app's data by claiming its id.
     *
     * <p>Every launch (verified or not) refuses, before any guest code runs, a package whose capsule.json
     * {@code minRuntime} is above {@link RuntimeVersion#current()}: {@link LaunchRefusedException}
     * ({@code runtime-too-old}).
     */
    public MiniProgramSession launch(Verification.Verified verified, String userId, EventSink sink) throws StorageException {
        return start(verified.pkg(), true, userId, sink, SessionPolicy.UNRESTRICTED, LaunchOptions.DEFAULT);
    }

    /**
     * Launches a verified package under a launch policy (a release's risk profile, {@code RiskPolicies}):
     * the lower of its limits and the runtime's apply, and only its API groups exist.
     *
     * <p>Security guarantees: as {@link #launch(Verification.Verified, String, EventSink)}; in addition the
     * session's {@code wx} has no API outside {@code policy.apiGroups()}, and the host refuses such a call
     * in both tiers.
     */
    public MiniProgramSession launch(Verification.Verified verified, String userId, EventSink sink, SessionPolicy policy)
            throws StorageException {
        return start(verified.pkg(), true, userId, sink, Objects.requireNonNull(policy, "policy"), LaunchOptions.DEFAULT);
    }

    /**
     * As {@link #launch(Verification.Verified, String, EventSink, SessionPolicy)}, starting where {@code launch}
     * says (a page path and query, as a scan or a shared card opens a mini-program, and the scene).
     *
     * <p>Security guarantees: as {@link #launch(Verification.Verified, String, EventSink, SessionPolicy)}; the
     * launch options are data the guest reads ({@link LaunchOptions}).
     */
    public MiniProgramSession launch(Verification.Verified verified, String userId, EventSink sink, SessionPolicy policy,
            LaunchOptions launch) throws StorageException {
        return start(verified.pkg(), true, userId, sink, Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(launch, "launch"));
    }

    /**
     * Launches a release that {@code dev.capsule.core.release.ReleaseVerifier} accepted (the release log includes it,
     * developer- and platform-signed, not rolled back) under {@code policy}; {@code ReleaseClient} is the one caller
     * that also checks the kill switch and picks the policy from the release's risk profile.
     *
     * <p>Security guarantees: as {@link #launch(Verification.Verified, String, EventSink, SessionPolicy)}.
     */
    public MiniProgramSession launch(ReleaseOutcome.Verified release, String userId, EventSink sink, SessionPolicy policy)
            throws StorageException {
        return start(release.pkg(), true, userId, sink, Objects.requireNonNull(policy, "policy"), LaunchOptions.DEFAULT);
    }

    /**
     * As {@link #launch(ReleaseOutcome.Verified, String, EventSink, SessionPolicy)}, starting where {@code launch} says,
     * with {@code services} in place of the runtime's own for this one session (a server gives each session its
     * user's prompts, consent ledger, identity and audit; the runtime's storage and network client stay shared).
     *
     * <p>Security guarantees: as {@link #launch(ReleaseOutcome.Verified, String, EventSink, SessionPolicy)}; in both
     * isolation tiers the session reaches only {@code services} (never the runtime's), and a launch refused before the
     * session exists is audited to {@code services.audit()}.
     */
    public MiniProgramSession launch(ReleaseOutcome.Verified release, String userId, EventSink sink, SessionPolicy policy,
            LaunchOptions launch, HostServices services) throws StorageException {
        return start(release.pkg(), true, userId, sink, Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(launch, "launch"),
                Objects.requireNonNull(services, "services"));
    }

    /**
     * Launches a package without signature verification: development only ({@code capsule run --dev}).
     * The sandbox and every limit are the same; only the launch event says verified=false.
     */
    public MiniProgramSession launchUnverified(CapsulePackage pkg, String userId, EventSink sink) throws StorageException {
        return start(pkg, false, userId, sink, SessionPolicy.UNRESTRICTED, LaunchOptions.DEFAULT);
    }

    /** As {@link #launchUnverified(CapsulePackage, String, EventSink)}, starting where {@code launch} says. Development only. */
    public MiniProgramSession launchUnverified(CapsulePackage pkg, String userId, EventSink sink, LaunchOptions launch) throws StorageException {
        return start(pkg, false, userId, sink, SessionPolicy.UNRESTRICTED, Objects.requireNonNull(launch, "launch"));
    }

    /**
     * As {@link #launchUnverified(CapsulePackage, String, EventSink, LaunchOptions)} with {@code services} in place of
     * the runtime's own for this one session (the development preview's per-user prompts and audit). Development only.
     */
    public MiniProgramSession launchUnverified(CapsulePackage pkg, String userId, EventSink sink, LaunchOptions launch,
            HostServices services) throws StorageException {
        return start(pkg, false, userId, sink, SessionPolicy.UNRESTRICTED, Objects.requireNonNull(launch, "launch"),
                Objects.requireNonNull(services, "services"));
    }

    /**
     * Audits a launch that was refused before a session existed (every denial is audited): action
     * {@value #REFUSED_LAUNCH_ACTION}, outcome the refusal's code, the message escaped. The runtime calls it for its own
     * refusals; {@code ReleaseClient} for a release it refused.
     */
    public void auditRefusedLaunch(String appId, String userId, String code, String message) {
        auditRefusedLaunch(services, appId, userId, code, message);
    }

    private static void auditRefusedLaunch(HostServices services, String appId, String userId, String code, String message) {
        services.audit().record(new AuditEvent(Instant.now(), SafeText.escape(appId), SafeText.escape(userId), REFUSED_LAUNCH_ACTION,
                SafeText.escape(code), SafeText.escape(message)));
    }

    /** Whether a launch would accept this user id (storage areas and audit records are keyed by it). */
    public static boolean isValidUserId(String userId) {
        return userId != null && USER_ID.matcher(userId).matches();
    }

    private MiniProgramSession start(CapsulePackage pkg, boolean verified, String userId, EventSink sink, SessionPolicy policy,
            LaunchOptions launch) throws StorageException {
        return start(pkg, verified, userId, sink, policy, launch, services);
    }

    private MiniProgramSession start(CapsulePackage pkg, boolean verified, String userId, EventSink sink, SessionPolicy policy,
            LaunchOptions launch, HostServices services) throws StorageException {
        if (!isValidUserId(userId)) {
            throw new IllegalArgumentException("user id must be " + USER_ID_RULE);
        }
        Objects.requireNonNull(sink, "sink");
        if (engineFaulted) {
            throw new IllegalStateException("the JavaScript engine failed in an earlier session; restart the host process");
        }
        var tooOld = RuntimeVersion.refusal(pkg.manifest());
        if (tooOld.isPresent()) {
            LaunchRefusedException refused = new LaunchRefusedException(LaunchRefusedException.Reason.RUNTIME_TOO_OLD, tooOld.get());
            auditRefusedLaunch(services, pkg.manifest().id(), userId, refused.reason().code(), refused.getMessage());
            throw refused;
        }
        RuntimeLimits sessionLimits = limits.atMost(policy.limits());
        var area = storage.open(pkg.manifest().id(), userId);
        if (workers != null) {
            try {
                return workers.launch(pkg, verified, userId, launch, sessionLimits, policy.apiGroups(), services, area, http, sink);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("could not start a worker process: " + e.getMessage(), e);
            }
        }
        return Sessions.start(pkg, verified, userId, launch, sessionLimits, policy.apiGroups(), services, area, http, sink, engine, watchdog, () -> engineFaulted = true);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        } else {
            watchdog.close();
            engine.close(true);
        }
    }
}
