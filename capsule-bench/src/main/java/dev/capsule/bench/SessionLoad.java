package dev.capsule.bench;

import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.view.BrowserView;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The host shell's load as one node sees it (docs/benchmarks.md, "Host sessions under load"): N end-user sessions
 * of the todo example held at once, each as the shell holds one (a verified launch with a user of its own, a
 * {@link BrowserView} projecting its page), then every session typing into the todo input concurrently.
 *
 * <ul>
 *   <li><b>Memory held</b>: with all N sessions launched, rendered and idle, the proportional set size (PSS, shared
 *       pages divided among the processes sharing them; RSS too) of every process the runtime started (the worker
 *       JVMs and their sandboxes), or, in-process, the growth of the host's heap after a full GC; sessions per GB is
 *       N divided by that.
 *   <li><b>Event round trip</b>: from {@code dispatchView} of an {@code input} event on the todo's input (the shell's
 *       browser frame, already parsed) until the {@code ops} frame for the browser is ready: the host's check, the
 *       worker protocol both ways, the guest's handler and render, the host's tree, the projection. Each session's
 *       user waits {@code --think-ms} between events; p50/p99 over all sessions' events.
 * </ul>
 *
 * <p>Not JMH: a closed-loop load driver (Gatling-style) with its own percentiles. Run from the repository root on
 * Linux with bubblewrap installed:
 * {@code java --enable-native-access=ALL-UNNAMED -cp capsule-bench/target/benchmarks.jar dev.capsule.bench.SessionLoad
 * --sessions 8 --events 100 --warm-up 20 --think-ms 100 [--isolation in-process]}.
 */
public final class SessionLoad {
    /** The most sessions one run holds (each worker is a JVM of a few hundred MB). */
    static final int SESSIONS_MAX = 256;
    /** The most events one session sends. */
    static final int EVENTS_MAX = 100_000;
    /** How long one event's round trip may take before the run fails instead of hanging. */
    static final Duration EVENT_WAIT = Duration.ofSeconds(30);
    /** After the last launch: time for every session's page to settle before memory is read. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private record Options(int sessions, int events, int warmUpEvents, long thinkMillis, Isolation isolation) {
        static Options parse(String[] args) {
            int sessions = 8;
            int events = 100;
            int warmUp = 20;
            long think = 100;
            Isolation isolation = Isolation.PROCESS;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--sessions" -> sessions = bounded("--sessions", value, 1, SESSIONS_MAX);
                    case "--events" -> events = bounded("--events", value, 1, EVENTS_MAX);
                    case "--warm-up" -> warmUp = bounded("--warm-up", value, 0, EVENTS_MAX);
                    case "--think-ms" -> think = bounded("--think-ms", value, 0, 60_000);
                    case "--isolation" -> isolation = switch (value) {
                        case "process" -> Isolation.PROCESS;
                        case "in-process" -> Isolation.IN_PROCESS;
                        default -> throw new IllegalArgumentException("--isolation must be process or in-process");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --sessions N --events N --warm-up N --think-ms N --isolation process|in-process");
                }
                i++;
            }
            return new Options(sessions, events, warmUp, think, isolation);
        }

        private static int bounded(String name, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
    }

    /** One hosted session: its sink signals each view batch; its browser view is what the shell would send. */
    private static final class Hosted implements EventSink {
        final LinkedBlockingQueue<RuntimeEvent> batches = new LinkedBlockingQueue<>();
        final BrowserView browser;
        volatile RuntimeEvent problem;
        MiniProgramSession session;

        Hosted(String sid) {
            browser = new BrowserView(path -> Optional.of("/shell/s/" + sid + "/assets/" + path), route -> "/shell/s/" + sid + "/page.css");
        }

        @Override
        public void accept(RuntimeEvent event) {
            switch (event) {
                case RuntimeEvent.View v -> batches.add(v);
                case RuntimeEvent.Violation v -> problem = v;
                case RuntimeEvent.Exit x -> problem = x;
                case RuntimeEvent.Log l when l.level().equals("error") -> problem = l;
                default -> { }
            }
        }

        void check() {
            if (problem != null) {
                throw new IllegalStateException("a session reported a problem: " + problem);
            }
        }
    }

    private SessionLoad() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("session-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        var todo = RuntimeFixture.todo();
        long heapBefore = usedHeapAfterGc();
        WorkerLimits workers = WorkerLimits.DEFAULTS.withWorkers(options.sessions(), 0);
        try (var fixture = new RuntimeFixture(options.isolation(), workers)) {
            List<Hosted> hosted = new ArrayList<>();
            long launchStart = System.nanoTime();
            for (int i = 0; i < options.sessions(); i++) {
                Hosted h = new Hosted(String.format(Locale.ROOT, "%032x", i));
                h.session = fixture.runtime.launch(todo.verify(), "load-user-" + i, h);
                hosted.add(h);
            }
            for (Hosted h : hosted) {
                if (!h.session.awaitIdle(RuntimeFixture.WAIT)) {
                    throw new IllegalStateException("a session did not become idle after launch");
                }
                h.check();
                h.browser.page(h.session.shownPage().orElseThrow(() -> new IllegalStateException("the todo page did not render")));
            }
            double launchSeconds = (System.nanoTime() - launchStart) / 1e9;
            Thread.sleep(SETTLE.toMillis());
            Memory memory = options.isolation() == Isolation.PROCESS ? workerMemory() : new Memory(usedHeapAfterGc() - heapBefore, 0);
            int processes = (int) ProcessHandle.current().descendants().count();

            long[] roundTrips = drive(hosted, options);
            Arrays.sort(roundTrips);
            double gb = memory.pssBytes() / 1e9;
            System.out.printf(Locale.ROOT, "isolation=%s sessions=%d events/session=%d (after %d warm-up) think=%dms processes=%d cpus=%d load=%.1f%n",
                    options.isolation() == Isolation.PROCESS ? "process" : "in-process", options.sessions(), options.events(), options.warmUpEvents(),
                    options.thinkMillis(), processes, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "launch of all sessions: %.1f s%s%n", launchSeconds,
                    options.isolation() == Isolation.PROCESS ? (fixture.runtime.sandboxed() ? " (workers sandboxed)" : " (workers NOT sandboxed)") : "");
            if (options.isolation() == Isolation.PROCESS) {
                System.out.printf(Locale.ROOT, "worker memory: PSS %.0f MB (%.1f MB per session), RSS %.0f MB (%.1f MB per session)%n",
                        memory.pssBytes() / 1e6, memory.pssBytes() / 1e6 / options.sessions(), memory.rssBytes() / 1e6,
                        memory.rssBytes() / 1e6 / options.sessions());
            } else {
                System.out.printf(Locale.ROOT, "host heap growth after GC: %.1f MB (%.2f MB per session)%n", memory.pssBytes() / 1e6,
                        memory.pssBytes() / 1e6 / options.sessions());
            }
            System.out.printf(Locale.ROOT, "sessions per GB: %.1f%n", options.sessions() / gb);
            System.out.printf(Locale.ROOT, "event round trip (dispatchView to ops frame), %d events: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    roundTrips.length, percentile(roundTrips, 50) / 1e6, percentile(roundTrips, 90) / 1e6, percentile(roundTrips, 99) / 1e6,
                    roundTrips[roundTrips.length - 1] / 1e6);
            for (Hosted h : hosted) {
                h.session.close();
            }
        }
    }

    /** Every session's user types concurrently: one thread per session, {@code events} inputs each, think time between. */
    private static long[] drive(List<Hosted> hosted, Options options) throws InterruptedException {
        long[] all = new long[hosted.size() * options.events()];
        List<Thread> users = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < hosted.size(); s++) {
            Hosted h = hosted.get(s);
            int offset = s * options.events();
            users.add(Thread.ofPlatform().name("user-" + s).start(() -> {
                try {
                    ViewNodeId input = h.session.view().orElseThrow().select("#new-todo").getFirst();
                    // The first events of a fresh worker run in its interpreter and cold JIT: not counted.
                    for (int e = -options.warmUpEvents(); e < options.events(); e++) {
                        h.batches.clear();
                        String value = "item " + e;
                        var detail = JsonNodeFactory.instance.objectNode().put("value", value).put("cursor", value.length());
                        long start = System.nanoTime();
                        h.session.dispatchView(new ViewEvent(input, "input", detail));
                        if (h.batches.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS) == null) {
                            h.check();
                            throw new IllegalStateException("no view batch within " + EVENT_WAIT);
                        }
                        if (h.browser.update(h.session.shownPage()).isEmpty()) {
                            throw new IllegalStateException("the input changed nothing the browser shows");
                        }
                        if (e >= 0) {
                            all[offset + e] = System.nanoTime() - start;
                        }
                        h.check();
                        if (options.thinkMillis() > 0) {
                            Thread.sleep(options.thinkMillis());
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : users) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a user failed: " + failures.getFirst(), failures.getFirst());
        }
        return all;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private record Memory(long pssBytes, long rssBytes) {}

    /** PSS and RSS of every descendant process (the workers and their sandboxes), from /proc/PID/smaps_rollup. */
    private static Memory workerMemory() {
        long pss = 0;
        long rss = 0;
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        pss += kilobytes(line) * 1024;
                    } else if (line.startsWith("Rss:")) {
                        rss += kilobytes(line) * 1024;
                    }
                }
            } catch (IOException e) {
                // a process that ended meanwhile (a sandbox helper): nothing to count
            }
        }
        return new Memory(pss, rss);
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }
}
