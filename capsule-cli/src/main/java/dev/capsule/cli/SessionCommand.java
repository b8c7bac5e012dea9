package dev.capsule.cli;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.BuildResult;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.LaunchOptions;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.SessionPolicy;
import dev.capsule.runtime.host.HostUi;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.host.PersonalDataProvider;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.release.ReleaseClient;
import dev.capsule.runtime.release.ReleaseException;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.runtime.storage.StorageLimits;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code capsule run} and {@code capsule render} share, so both launch a mini-program the same way: which
 * one (a package, with {@code --dev} a directory, or with {@code --from} a release), how it is trusted, the host's
 * answers (--grant, --modal, --location, …), and the run itself: launch, wait until idle, the scripted
 * {@code --events} ({@link RunScript}) each followed by idle, within {@code --timeout}. A subcommand adds what it
 * does with the session once the script is done ({@link #afterScript}) and the options of its own.
 */
abstract class SessionCommand implements Callable<Integer> {
    /** The spec's default total run time. */
    static final int TOTAL_SECONDS_DEFAULT = 30;
    static final int TOTAL_SECONDS_MAX = 600;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR_OR_FILE|APPID",
            description = "A .capsule package, (with --dev) a source directory, or (with --from) the mini-program id.")
    String targetText;

    /** The package or directory (not with --from, where the parameter is an app id). */
    Path target;

    /** --from URL APPID --trust-platform FILE: the current release from a platform server. */
    @Mixin
    ReleaseOptions release = new ReleaseOptions();

    /** The same options as 'capsule verify': the package must verify as it would there. */
    @Mixin
    TrustOptions trust = new TrustOptions();

    @Option(names = "--dev", description = "Development: accept an unsigned directory or package and say so. Never relaxes the sandbox.")
    boolean dev;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--events", paramLabel = "EVENTS.json", description = "Scripted events to dispatch after launch: handler calls, or taps and inputs on elements by selector.")
    Path events;

    @Option(names = {"--path", "--route"}, paramLabel = "PAGE[?QUERY]", description = "Launch at this page with this query (as a scan or a shared card opens an app); "
            + "default: app.json's entry page. A page the app lacks runs App.onPageNotFound.")
    String launchPath;

    @Option(names = "--grant", paramLabel = "SCOPE", description = "Answer yes when asked for this scope (scope.userLocation, scope.userInfo, privacy.contract).")
    List<String> grants = new ArrayList<>();

    @Option(names = "--user", paramLabel = "ID", defaultValue = "dev-user", description = "The user id (default dev-user).")
    String user;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep storage (encrypted) here across runs; default: in memory.")
    Path dataDir;

    @Option(names = "--modal", paramLabel = "confirm|cancel", defaultValue = "cancel", description = "How the user answers wx.showModal.")
    String modal;

    @Option(names = "--action-sheet", paramLabel = "INDEX", defaultValue = "-1", description = "Which item the user taps in wx.showActionSheet (-1 cancels).")
    int actionSheet;

    @Option(names = "--location", paramLabel = "LAT,LON", description = "The device location wx.getLocation may return (after consent).")
    String location;

    @Option(names = "--isolation", paramLabel = "process|in-process", defaultValue = "process",
            description = "Where the mini-program's JavaScript runs: a sandboxed worker process (default) or this JVM.")
    String isolation;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Total wall-clock limit of the run (default 30).")
    int timeoutSeconds;

    /**
     * With --json, stdout ends with exactly one exit line whatever happens after the options were
     * parsed: a rejected package, an unreadable file, a bad option value or an internal error print
     * their one line on stderr as always, and an exit line with the same code and reason on stdout.
     */
    @Override
    public final Integer call() throws CliFailure {
        RunOutput output = output();
        try {
            return run(output);
        } catch (CliFailure e) {
            output.exitIfNone(e.exitCode(), e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            output.exitIfNone(ExitCode.REJECTED, "unexpected error: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    /** Where the run's lines go: stdout, one JSON object a line with --json. */
    RunOutput output() {
        return new RunOutput(spec.commandLine().getOut(), json, false);
    }

    /** The subcommand: {@link #checkOptions}, then usually {@link #runSession}. */
    abstract int run(RunOutput output) throws CliFailure;

    /**
     * What the subcommand does once the scripted events are done (or the time ran out: {@code inTime} false), before
     * the session closes: {@code pkg} is the launched package (empty for a release launch), {@code violated} whether
     * a violation was reported. Returns whether the run is still within its time.
     */
    abstract boolean afterScript(MiniProgramSession session, Optional<CapsulePackage> pkg, boolean inTime, long deadlineNanos, RunOutput output,
            boolean violated) throws CliFailure, InterruptedException;

    /** Checks the shared options before anything starts; returns the isolation tier. A bad one is a usage error. */
    final Isolation checkOptions(int timeoutMax) throws CliFailure {
        if (release.given()) {
            if (dev || trust.given()) {
                throw CliFailure.usage("--from runs a release verified against --trust-platform: it takes neither --trust nor --dev");
            }
            if (!CapsuleManifest.isValidId(targetText)) {
                throw CliFailure.usage("with --from, give the mini-program id (reverse-DNS, like com.example.todo), not '" + targetText + "'");
            }
        } else {
            release.requireFromForTheRest();
            try {
                target = Path.of(targetText);
            } catch (java.nio.file.InvalidPathException e) {
                throw CliFailure.usage("not a file name: " + targetText);
            }
        }
        if (!release.given() && dev == trust.given()) {
            throw CliFailure.usage("give --trust KEY.pub:APP_IDS to run a verified package, or --dev to run unsigned code for development");
        }
        if (dev && trust.requireRole != null) {
            throw CliFailure.usage("--require-role needs --trust: --dev checks no signature");
        }
        if (!CapsuleRuntime.isValidUserId(user)) {
            throw CliFailure.usage("--user must be " + CapsuleRuntime.USER_ID_RULE);
        }
        if (!modal.equals("confirm") && !modal.equals("cancel")) {
            throw CliFailure.usage("--modal must be confirm or cancel");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > timeoutMax) {
            throw CliFailure.usage("--timeout must be 1 to " + timeoutMax + " seconds");
        }
        return switch (isolation) {
            case "process" -> Isolation.PROCESS;
            case "in-process" -> Isolation.IN_PROCESS;
            default -> throw CliFailure.usage("--isolation must be process or in-process");
        };
    }

    /**
     * Launches the mini-program, waits until it is idle, dispatches each scripted event followed by idle, hands the
     * session to {@link #afterScript}, and closes it; the exit code is 1 if the session ended for a violation or
     * with a non-zero code.
     */
    final int runSession(Isolation tier, RunOutput output) throws CliFailure {
        TrustPolicy policy = dev || release.given() ? null : trust.policy();
        RunScript script = readScript();
        launchOptions(); // a bad --path is a usage error before anything starts
        if (launchPath != null && release.given()) {
            throw CliFailure.usage("--path applies to a package or directory, not to a release launch");
        }
        PersonalDataProvider personal = personalData();
        AtomicBoolean violated = new AtomicBoolean();
        var services = services(personal);
        try (GuardedHttpClient http = GuardedHttpClient.create();
                CapsuleRuntime runtime = runtime(tier, services, http);
                ReleaseClient releases = release.given() ? release.client() : null) {
            dev.capsule.runtime.EventSink sink = event -> {
                if (event instanceof RuntimeEvent.Violation) {
                    violated.set(true);
                }
                output.accept(event);
            };
            Launched launched = releases != null ? new Launched(releases.launch(runtime, targetText, user, sink), Optional.empty())
                    : launch(runtime, policy, output, sink);
            MiniProgramSession session = launched.session();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            boolean inTime = awaitIdle(session, deadline);
            for (RunScript.Step step : script.steps()) {
                if (!inTime || session.ended()) {
                    break;
                }
                switch (step) {
                    case RunScript.HandlerCall call -> session.dispatch(call.handler(), call.route(), call.eventJson());
                    case RunScript.ElementEvent event -> dispatchAt(session, event);
                }
                inTime = awaitIdle(session, deadline);
            }
            inTime = afterScript(session, launched.pkg(), inTime, deadline, output, violated.get());
            if (!inTime && !session.ended()) {
                output.note("warn", "run time limit of " + timeoutSeconds + " s reached; ending the session");
            }
            session.close();
            return session.exitCode() != 0 || violated.get() ? ExitCode.REJECTED : ExitCode.OK;
        } catch (StorageException e) {
            throw new CliFailure(ExitCode.REJECTED, "storage: " + e.getMessage());
        } catch (ReleaseException e) {
            throw new CliFailure(ExitCode.REJECTED, e.getMessage());
        } catch (IllegalStateException e) {
            // A worker that could not start (sandbox missing, worker limit), or a launch the runtime refused
            // (LaunchRefusedException: revoked, no fresh revocation list, runtime too old): one line, no trace.
            throw new CliFailure(ExitCode.REJECTED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.REJECTED, "interrupted");
        }
    }

    /**
     * One run needs one worker and no spare: none is pre-started beyond the one the launch takes, and it
     * skips the warm-ups a pool runs ahead of time, which here would be on the run's critical path.
     */
    CapsuleRuntime runtime(Isolation tier, HostServices services, GuardedHttpClient http) throws StorageException, CliFailure {
        try {
            return new CapsuleRuntime(tier, RuntimeLimits.DEFAULTS, services, storage(), http,
                    WorkerLimits.DEFAULTS.withWorkers(1, 0).withWarmUp(false));
        } catch (IllegalStateException e) {
            throw new CliFailure(ExitCode.REJECTED, e.getMessage());
        }
    }

    static boolean awaitIdle(MiniProgramSession session, long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 && session.awaitIdle(Duration.ofNanos(left));
    }

    /**
     * An element step: the selector resolved on the current page's view, the first match in document order the target,
     * dispatched as a real event there. A selector that matches nothing is bad input: one line, exit 2.
     */
    private static void dispatchAt(MiniProgramSession session, RunScript.ElementEvent step) throws CliFailure {
        List<ViewNodeId> matches = session.view().map(view -> view.select(step.selector())).orElse(List.of());
        if (matches.isEmpty()) {
            throw CliFailure.usage(step.where() + ": '" + step.selector() + "' matches no element on " + session.currentRoute());
        }
        session.dispatchView(new ViewEvent(matches.getFirst(), step.type(), step.detail()));
    }

    /** A launched session and the package it runs (empty for a release launch, which the release client reads itself). */
    record Launched(MiniProgramSession session, Optional<CapsulePackage> pkg) {}

    private Launched launch(CapsuleRuntime runtime, TrustPolicy policy, RunOutput output, dev.capsule.runtime.EventSink sink)
            throws CliFailure, StorageException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!dev) {
                throw CliFailure.usage("a directory is unsigned: pack and sign it, or run it with --dev");
            }
            CapsulePackage pkg = packDirectory(output);
            output.note("warn", "running UNSIGNED code from " + target + " (--dev): signatures are not checked; the sandbox is unchanged");
            return new Launched(runtime.launchUnverified(pkg, user, sink, launchOptions()), Optional.of(pkg));
        }
        byte[] archive = CliIo.readArchive(target);
        if (dev) {
            try {
                CapsulePackage pkg = PackageReader.read(archive);
                output.note("warn", "running " + target + " without checking signatures (--dev); the sandbox is unchanged");
                return new Launched(runtime.launchUnverified(pkg, user, sink, launchOptions()), Optional.of(pkg));
            } catch (PackageException e) {
                throw CliIo.rejected(e);
            }
        }
        return switch (PackageVerifier.verify(archive, policy)) {
            case Verification.Verified v -> new Launched(runtime.launch(v, user, sink, SessionPolicy.UNRESTRICTED, launchOptions()), Optional.of(v.pkg()));
            case Verification.Rejected r -> throw CliFailure.rejected("rejected (" + r.reason().code() + "): " + r.message());
        };
    }

    /** --path as launch options; a bad one is a usage error in one line. */
    private LaunchOptions launchOptions() throws CliFailure {
        if (launchPath == null) {
            return LaunchOptions.DEFAULT;
        }
        try {
            return LaunchOptions.parse(launchPath);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--path: " + e.getMessage());
        }
    }

    /**
     * Builds the directory in memory as {@code capsule pack} does (MiniProgramBuild: uploaded file types,
     * ES modules compiled); an unmodified WeChat project without capsule.json gets the strictest manifest.
     */
    CapsulePackage packDirectory(RunOutput output) throws CliFailure {
        try {
            String id = MiniProgramBuild.developmentAppId(target);
            BuildResult built = MiniProgramBuild.build(target, PackageLimits.DEFAULTS, MiniProgramBuild.developmentManifest(target));
            if (built.manifestDefaulted()) {
                output.note("warn", "no capsule.json: running under the strictest manifest (" + id + "): no network, no personal data");
            }
            built.warnings().forEach(w -> output.note("warn", w));
            return PackageReader.read(built.archive());
        } catch (PackageException e) {
            throw CliIo.rejected(e);
        } catch (BuildException e) {
            throw CliFailure.rejected(e.getMessage());
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + target + ": " + CliIo.describe(e));
        }
    }

    private RunScript readScript() throws CliFailure {
        if (events == null) {
            return new RunScript(List.of());
        }
        try (var in = Files.newInputStream(events)) {
            byte[] data = in.readNBytes(RunScript.FILE_BYTES_MAX + 1);
            if (data.length > RunScript.FILE_BYTES_MAX) {
                throw CliFailure.usage(events + ": larger than " + RunScript.FILE_BYTES_MAX + " bytes");
            }
            return RunScript.parse(data);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + events + ": " + CliIo.describe(e));
        } catch (JsonFormatException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    PersonalDataProvider personalData() throws CliFailure {
        if (location == null) {
            return PersonalDataProvider.NONE;
        }
        String[] parts = location.split(",");
        try {
            double lat = Double.parseDouble(parts[0].strip());
            double lon = Double.parseDouble(parts[1].strip());
            if (parts.length != 2 || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                throw new NumberFormatException();
            }
            var fixed = new PersonalDataProvider.Location(lat, lon, 65);
            return new PersonalDataProvider() {
                @Override
                public Optional<Location> location(String appId, String userId) {
                    return Optional.of(fixed);
                }

                @Override
                public Optional<UserProfile> userProfile(String appId, String userId) {
                    return Optional.empty();
                }
            };
        } catch (RuntimeException e) {
            throw CliFailure.usage("--location must be LAT,LON in degrees, like 31.23,121.47");
        }
    }

    HostServices services(PersonalDataProvider personal) {
        Set<String> granted = Set.copyOf(grants);
        HostUi ui = HostUi.answering(modal.equals("confirm"), actionSheet);
        SecureRandom random = new SecureRandom();
        return HostServices.defaults()
                .withUi(ui)
                .withConsent((appId, userId, scope, purpose) -> granted.contains(scope), new InMemoryConsentLedger())
                .withPersonalData(personal)
                // A local code: real and one-time, but only a platform server can exchange it.
                .withIdentity((appId, userId) -> {
                    byte[] code = new byte[16];
                    random.nextBytes(code);
                    return HexFormat.of().formatHex(code);
                });
    }

    private Storage storage() throws StorageException {
        if (dataDir == null) {
            return EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS);
        }
        return EncryptedStorage.inDirectory(dataDir.resolve("storage"), LocalMasterKey.loadOrCreate(dataDir.resolve("master-key.json")),
                StorageLimits.DEFAULTS);
    }
}
