package dev.capsule.cli;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.MiniProgramSession;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a mini-program headless, as a host would: verify it, run onLaunch and the first page,",
            "then the scripted events, and print what happens (spec §5).",
            "With --from URL APPID --trust-platform FILE: the current release of APPID from a platform server.",
            "Exit 0: ran to the end (denied calls included); 1: rejected, revoked or stopped for a violation; 2: usage error."})
final class RunCommand extends SessionCommand {
    /** How often --keep-open looks whether the session has ended (the exit event itself is printed when it happens). */
    static final long KEEP_OPEN_POLL_MILLIS = 100;

    /** The compatibility report ({@link AllPagesRun}). */
    @Option(names = "--all-pages", description = "With --dev: load every page in turn as the entry page, each in a fresh session; one line per page (ok or the first error) and a total; exit 1 if any page fails.")
    boolean allPages;

    @Option(names = "--page-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "With --all-pages: wall-clock limit per page, launch to idle (default 10, at most 120).")
    int pageTimeoutSeconds;

    /**
     * A host keeps a mini-program open while the user has it on screen, idle or not; so does the runner with this
     * option, until --timeout or until the session ends by itself (revoked by the kill switch, a violation).
     */
    @Option(names = "--keep-open", description = "After the scripted events, keep the session open until --timeout (as a host keeps a page on screen), unless it ends first (revoked, violation).")
    boolean keepOpen;

    @Override
    int run(RunOutput output) throws CliFailure {
        var tier = checkOptions(allPages ? AllPagesRun.TOTAL_SECONDS_MAX : TOTAL_SECONDS_MAX);
        if (allPages) {
            return AllPagesRun.start(this, tier, output, spec.commandLine().getParseResult().hasMatchedOption("--timeout"));
        }
        return runSession(tier, output);
    }

    /** --keep-open: waits until the session ends by itself or the deadline passes (the run then ends it, as a closed page). */
    @Override
    boolean afterScript(MiniProgramSession session, Optional<CapsulePackage> pkg, boolean inTime, long deadlineNanos, RunOutput output,
            boolean violated) throws InterruptedException {
        if (keepOpen && inTime) {
            while (!session.ended() && deadlineNanos - System.nanoTime() > 0) {
                Thread.sleep(KEEP_OPEN_POLL_MILLIS);
            }
            return true;
        }
        return inTime;
    }
}
