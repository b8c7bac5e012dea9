package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.LaunchOptions;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.host.PersonalDataProvider;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code capsule run --dev --all-pages}: a compatibility report. Loads every page of the app in turn,
 * each as the entry page of its own launch (App.onLaunch/onShow, then the page's onLoad, onShow, onReady
 * and whatever they start, until the session is idle), and prints one line per page: {@code ok}, or the
 * first problem; then a total. Exit 1 if any page failed or was not run.
 *
 * <p>Each page is the launch page through the runtime's one mechanism for it, {@link LaunchOptions} (as a
 * scan or a shared card opens a mini-program at a page; an independent subpackage's page starts without
 * the main package's app.js, as in WeChat); the package itself is unchanged. Each page runs in a fresh
 * session of a fresh runtime: a new JavaScript context (a new worker process in the process tier), new
 * in-memory storage and a new consent ledger, so nothing one page stored or was granted can make another
 * page pass or fail. A development tool: it needs {@code --dev}, as the report is for code being ported.
 *
 * <p>A page fails on the first of: an uncaught error (the runtime's {@code Uncaught … (in HOOK, FILE:LINE)}
 * line, or a failed launch), a violation, or a session that ended with exit code 1. A page still busy when
 * its time is up (a countdown's interval, a retry loop) had no error: it is ok, reported as busy. A failed {@code wx} call (a denied request, say) is not a failure: the app
 * sees a {@code fail} result it can handle, as on a phone.
 *
 * <p>Security guarantees: every text a guest influenced (error messages, routes) is printed through
 * {@link RunOutput}, escaped as in any run; the per-page sessions' own events, including their exit
 * lines, never reach the output, so the report ends with exactly one exit line (JSON) that the runner wrote.
 */
final class AllPagesRun {
    /** Wall-clock limit per page, from launch until idle (--page-timeout). */
    static final int PAGE_SECONDS_DEFAULT = 10;
    static final int PAGE_SECONDS_MAX = 120;
    /** Wall-clock limit of the whole report (--timeout, when given): apps have up to a few hundred pages. */
    static final int TOTAL_SECONDS_DEFAULT = 600;
    static final int TOTAL_SECONDS_MAX = 3600;
    /**
     * Longest error in a text line, in characters: GraalJS prints a whole object in some messages (a page
     * instance, kilobytes). Cut in the middle, so the line keeps its start and its {@code (in HOOK, FILE:LINE)}
     * end; the JSON line carries the whole text (the runtime already bounds it to 8 KiB).
     */
    static final int TEXT_ERROR_CHARS_MAX = 300;
    /** Longest end kept whole when cutting: the runtime's {@code (in HOOK, FILE:LINE)}. */
    private static final int TEXT_ERROR_END_CHARS_MAX = 200;

    /** A fresh runtime for one page: new storage, consent ledger and engine or worker pool. */
    @FunctionalInterface
    interface Runtimes {
        CapsuleRuntime fresh() throws CliFailure, StorageException;
    }

    /** What one page came to. */
    sealed interface Outcome {
        record Ok() implements Outcome {}

        /** The first problem, as the runtime or the runner worded it (guest-influenced: escaped when printed). */
        record Failed(String problem) implements Outcome {}

        /** Not run: the report's total time limit passed first. */
        record Skipped(String why) implements Outcome {}

        /** Loaded without a problem and still busy (timers, pending calls) when its time was up: counted as ok. */
        record Busy(String note) implements Outcome {}
    }

    private final RunOutput output;
    private final String user;
    private final Duration pageLimit;
    private final Duration totalLimit;
    private final Runtimes runtimes;

    AllPagesRun(RunOutput output, String user, int pageSeconds, int totalSeconds, Runtimes runtimes) {
        this.output = output;
        this.user = user;
        this.pageLimit = Duration.ofSeconds(pageSeconds);
        this.totalLimit = Duration.ofSeconds(totalSeconds);
        this.runtimes = runtimes;
    }

    /**
     * The hook from {@link RunCommand}: checks the options --all-pages goes with, builds the package as
     * {@code run --dev} does, and runs the report.
     */
    static int start(RunCommand command, Isolation tier, RunOutput output, boolean timeoutGiven) throws CliFailure {
        if (!command.dev || command.release.given()) {
            throw CliFailure.usage("--all-pages needs --dev: it reports on code being ported, not on a release");
        }
        if (command.events != null || command.keepOpen || command.dataDir != null || command.launchPath != null) {
            throw CliFailure.usage("--all-pages launches each page in a fresh session: it takes no --events, --keep-open, --data-dir or --path");
        }
        if (command.pageTimeoutSeconds < 1 || command.pageTimeoutSeconds > PAGE_SECONDS_MAX) {
            throw CliFailure.usage("--page-timeout must be 1 to " + PAGE_SECONDS_MAX + " seconds");
        }
        int totalSeconds = timeoutGiven ? command.timeoutSeconds : TOTAL_SECONDS_DEFAULT;
        PersonalDataProvider personal = command.personalData();
        CapsulePackage pkg;
        if (Files.isDirectory(command.target, LinkOption.NOFOLLOW_LINKS)) {
            pkg = command.packDirectory(output);
        } else {
            try {
                pkg = PackageReader.read(CliIo.readArchive(command.target));
            } catch (PackageException e) {
                throw CliIo.rejected(e);
            }
        }
        output.note("warn", "running UNSIGNED code from " + command.target + " (--dev --all-pages): each page as the entry page, a fresh session each");
        try (GuardedHttpClient http = GuardedHttpClient.create()) {
            return new AllPagesRun(output, command.user, command.pageTimeoutSeconds, totalSeconds,
                    () -> command.runtime(tier, command.services(personal), http)).run(pkg);
        } catch (StorageException e) {
            throw new CliFailure(ExitCode.REJECTED, "storage: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.REJECTED, "interrupted");
        }
    }

    /** Runs every page of {@code pkg} (app.json's {@code pages()}: the entry page first, then the subpackages') and returns the exit code. */
    int run(CapsulePackage pkg) throws CliFailure, StorageException, InterruptedException {
        List<String> pages = pkg.app().pages();
        long deadline = System.nanoTime() + totalLimit.toNanos();
        int ok = 0;
        int busy = 0;
        for (String route : pages) {
            long left = deadline - System.nanoTime();
            Outcome outcome = left <= 0
                    ? new Outcome.Skipped("not run: the total time limit of " + totalLimit.toSeconds() + " s was reached")
                    : runPage(pkg, route, Duration.ofNanos(Math.min(left, pageLimit.toNanos())));
            if (outcome instanceof Outcome.Ok || outcome instanceof Outcome.Busy) {
                ok++;
            }
            if (outcome instanceof Outcome.Busy) {
                busy++;
            }
            print(route, outcome);
        }
        int failed = pages.size() - ok;
        ObjectNode total = StrictJson.mapper().createObjectNode().put("type", "total").put("pages", pages.size()).put("ok", ok).put("busy", busy).put("failed", failed);
        output.line(total, "total " + ok + " of " + pages.size() + " pages ok" + (busy == 0 ? "" : " (" + busy + " still busy when their time was up)"));
        int code = failed == 0 ? ExitCode.OK : ExitCode.REJECTED;
        output.exitIfNone(code, failed == 0 ? "every page loaded" : failed + " of " + pages.size() + " pages failed");
        return code;
    }

    private Outcome runPage(CapsulePackage pkg, String route, Duration limit) throws CliFailure, StorageException, InterruptedException {
        AtomicReference<String> first = new AtomicReference<>();
        EventSink sink = event -> {
            String problem = problem(event);
            if (problem != null) {
                first.compareAndSet(null, problem);
            }
        };
        try (CapsuleRuntime runtime = runtimes.fresh()) {
            MiniProgramSession session = runtime.launchUnverified(pkg, user, sink, new LaunchOptions(route, Collections.emptySortedMap(), LaunchOptions.SCENE_HEADLESS));
            boolean idle = session.awaitIdle(limit);
            session.close();
            if (first.get() != null) {
                return new Outcome.Failed(first.get());
            }
            return idle ? new Outcome.Ok() : new Outcome.Busy("still busy after " + limit.toMillis() + " ms (timers or calls pending)");
        } catch (IllegalStateException e) {
            // A worker that could not start, or a launch the runtime refused: the same for every page.
            throw new CliFailure(ExitCode.REJECTED, e.getMessage());
        }
    }

    /**
     * The problem an event reports, or null. Decided by the event's kind; for logs, the runtime's own
     * uncaught-error and failed-launch lines, not the app's console.error output (which a guest writes
     * about itself: it can make its own page look broken, never a broken page look ok).
     */
    static String problem(RuntimeEvent event) {
        return switch (event) {
            case RuntimeEvent.Log l when l.level().equals("error") && (l.text().startsWith("Uncaught ") || l.text().startsWith("launch failed: ")) -> l.text();
            case RuntimeEvent.Violation v -> "violation " + v.kind().wireName() + ": " + v.message();
            case RuntimeEvent.Exit x when x.code() != 0 -> "exit " + x.code() + ": " + x.reason();
            case RuntimeEvent.Log l -> null;
            case RuntimeEvent.Launch l -> null;
            case RuntimeEvent.Lifecycle l -> null;
            case RuntimeEvent.Data d -> null;
            case RuntimeEvent.Api a -> null;
            case RuntimeEvent.Ui u -> null;
            case RuntimeEvent.View v -> null;
            case RuntimeEvent.Exit x -> null;
        };
    }

    /** {@code problem} cut to {@link #TEXT_ERROR_CHARS_MAX} in the middle, keeping its last " (in …)" part when that is short. */
    static String shortened(String problem) {
        if (problem.length() <= TEXT_ERROR_CHARS_MAX) {
            return problem;
        }
        int at = problem.lastIndexOf(" (in ");
        String end = at >= 0 && problem.length() - at <= TEXT_ERROR_END_CHARS_MAX ? problem.substring(at) : "";
        return problem.substring(0, TEXT_ERROR_CHARS_MAX - end.length() - 1) + "…" + end;
    }

    private void print(String route, Outcome outcome) {
        ObjectNode o = StrictJson.mapper().createObjectNode().put("type", "page").put("route", route);
        String text = switch (outcome) {
            case Outcome.Ok ok -> {
                o.put("outcome", "ok");
                yield "ok      " + RunOutput.escaped(route);
            }
            case Outcome.Failed f -> {
                o.put("outcome", "fail").put("error", f.problem());
                yield "FAIL    " + RunOutput.escaped(route) + "  " + RunOutput.escaped(shortened(f.problem()));
            }
            case Outcome.Busy b -> {
                o.put("outcome", "busy").put("note", b.note());
                yield "busy    " + RunOutput.escaped(route) + "  " + b.note();
            }
            case Outcome.Skipped s -> {
                o.put("outcome", "skipped").put("error", s.why());
                yield "SKIPPED " + RunOutput.escaped(route) + "  " + s.why();
            }
        };
        output.line(o, text);
    }
}
