package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.LaunchOptions;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.StopReason;
import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.runtime.host.NetworkStatus;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running mini-program: sandboxed context, event loop, limits, page stack. All guest code runs on
 * the loop thread, one event at a time; the watchdog stops events that run too long or allocate too
 * much. See docs/runtime.md for the lifecycle and every limit.
 */
public final class Session implements MiniProgramSession, HostSide.Callouts {
    /** Grace for Context.interrupt before the context is cancelled outright. */
    static final long INTERRUPT_GRACE_MILLIS = 500;
    /**
     * How long past its wall-clock limit an event may run before the session is ended without the
     * engine's help: one engine operation (a huge BigInt multiplication) can neither be interrupted
     * nor cancelled until it returns. In a worker the host kills the process a margin later still
     * ({@link WorkerEventClock#HOST_OVERRUN_MARGIN_MILLIS}).
     */
    static final long EVENT_OVERRUN_MARGIN_MILLIS = 1_000;
    /** The audit action of a host's {@link #stop} (both tiers); its outcome is the reason's wire name. */
    static final String STOP_AUDIT_ACTION = "session stopped";

    /** Where a session reports the start and end of each event (a worker tells its host, whose clock backs up this one). */
    interface EventBoundaries {
        void began();

        void ended();

        EventBoundaries NONE = new EventBoundaries() {
            @Override
            public void began() {}

            @Override
            public void ended() {}
        };
    }

    /** Why the watchdog or the bridge stopped the current event. */
    private record Stop(long eventSeq, ViolationKind kind, String message, boolean endsSession) {}

    final CapsulePackage pkg;
    final CapsuleManifest manifest;
    final String userId;
    final RuntimeLimits limits;
    final Navigator navigator;
    private final HostApis hostApis;
    private final SessionView view;
    /** In-process: the host's copy of the page views ({@link #localViews}); null in a worker (the host holds it). */
    private PageViews pageViews;
    /** While the render after an event runs (it is an event itself, and never renders again on its own). */
    private boolean rendering;
    private final AuditSink auditSink;
    private final boolean verified;
    private final SessionOutput output;
    private final Engine engine;
    private final Watchdog watchdog;
    private final EventLoop loop;
    private final long startedMillis = System.currentTimeMillis();
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final Runnable engineFault;
    private volatile boolean inHostCall;
    /** While the host side of a wx call runs: its allocations are the host's, not the event's budget. */
    private volatile boolean inHostWork;
    private volatile String enforcedKind;
    private Context context;
    private Value framework;
    private volatile long eventStartNanos;
    private volatile long eventAllocatedStart;
    private volatile long eventSeq;
    private volatile String eventLabel;
    private int eventDepth;
    private volatile EventBoundaries boundaries = EventBoundaries.NONE;
    private volatile long overrunSeq;
    private volatile long enforcedSeq;
    private int consoleBytes;
    private volatile boolean ended;
    private volatile int exitCode;
    private LaunchOptions launchOptions = LaunchOptions.DEFAULT;
    /** The page the launch asked for (app.json's entry page when the launch named none). */
    private String launchRoute;
    private AppState appState = AppState.NOT_LOADED;

    /** Whether app.js ran: not yet (an independent subpackage's launch), ran and called App(), or failed. */
    private enum AppState { NOT_LOADED, LOADED, FAILED }

    /**
     * @param hostApis where the policy APIs run, made for this session ({@link HostSide} in-process,
     *     a protocol round trip in a worker)
     * @param auditSink where violations are audited (in a worker: nowhere; the host audits what it sees)
     */
    Session(CapsulePackage pkg, boolean verified, String userId, RuntimeLimits limits, Function<Session, HostApis> hostApis,
            AuditSink auditSink, EventSink sink, Function<Session, SessionView.Sink> viewSink, Engine engine, Watchdog watchdog,
            Runnable engineFault) {
        this.pkg = pkg;
        this.engineFault = engineFault;
        this.manifest = pkg.manifest();
        this.verified = verified;
        this.userId = userId;
        this.limits = limits;
        this.auditSink = auditSink;
        this.output = new SessionOutput(sink, limits.sessionOutputBytesMax(), this::outputCapReached);
        this.engine = engine;
        this.watchdog = watchdog;
        this.navigator = new Navigator(this);
        this.hostApis = hostApis.apply(this);
        this.view = new SessionView(this, viewSink.apply(this));
        this.loop = new EventLoop("capsule-" + manifest.id(), limits.tasksQueuedMax(), this::runTimer);
    }

    /**
     * Starts the session: context, framework, then, unless the launch page belongs to an independent
     * subpackage, app.js and App.onLaunch/onShow; then the launch page, or App.onPageNotFound when the
     * app has no such page (docs/runtime.md, "Launch").
     */
    void start(LaunchOptions launch) {
        this.launchOptions = launch;
        this.launchRoute = launch.path() == null ? pkg.app().entryPage() : launch.path();
        watchdog.watch(this);
        loop.start();
        submit(() -> {
            emit(new RuntimeEvent.Launch(manifest.id(), manifest.version(), verified, userId));
            context = newContext();
            Value factory = context.eval(Source.newBuilder("js", FrameworkSource.TEXT, "capsule:framework.js").buildLiteral());
            if (!runEvent("framework", () -> framework = factory.execute(new HostBridge(this)))) {
                launchFailed("the framework did not start");
                return;
            }
            try {
                view.start(engine);
            } catch (dev.capsule.runtime.view.wxml.WxmlException | dev.capsule.runtime.view.wxss.WxssException e) {
                launchFailed("the package's view does not compile: " + SafeText.escape(e.getMessage()));
                return;
            }
            if (Navigator.isPlugin(launchRoute)) {
                launchFailed(Navigator.pluginRefusal(launchRoute));
                return;
            }
            boolean known = pkg.app().pages().contains(launchRoute);
            if (!(known && navigator.isIndependent(launchRoute)) && !ensureApp()) {
                launchFailed("app.js failed or did not call App()");
                return;
            }
            if (!known) {
                pageNotFound();
            } else if (!navigator.launch(launchRoute, queryJson())) {
                launchFailed("the first page " + launchRoute + " failed to load or did not call Page()");
            }
        });
    }

    /** The launch query as JSON text, the page's options. */
    private String queryJson() {
        ObjectNode query = Json.object();
        launchOptions.query().forEach(query::put);
        return Json.write(query);
    }

    /**
     * WeChat's launch options, as App.onLaunch/onShow and wx.getLaunchOptionsSync give them: the page path
     * asked for (whether or not it exists), its query, the scene, an empty referrerInfo (no other
     * mini-program opened this one) and apiCategory "default".
     */
    ObjectNode launchOptionsJson() {
        ObjectNode o = Json.object().put("path", launchRoute);
        launchOptions.query().forEach(o.putObject("query")::put);
        o.put("scene", launchOptions.scene());
        o.putObject("referrerInfo");
        o.put("apiCategory", "default");
        return o;
    }

    /**
     * Runs app.js and App.onLaunch/onShow once: at launch, or, after a launch into an independent
     * subpackage, before the first page outside it opens (as WeChat). False if app.js failed or did not
     * call App(), then and every later time.
     */
    boolean ensureApp() {
        if (appState == AppState.LOADED) {
            return true;
        }
        if (appState == AppState.FAILED) {
            return false;
        }
        appState = AppState.FAILED;
        if (!runEvent("app.js", () -> framework.invokeMember("start", "app.js"))) {
            return false;
        }
        appState = AppState.LOADED;
        String options = Json.write(launchOptionsJson());
        hook(0, "app", "onLaunch", options);
        // App.onShow and the wx.onAppShow listeners, together as WeChat. A session never goes to the
        // background, so the appHide channel's listeners are kept and never called.
        emit(new RuntimeEvent.Lifecycle("app", "onShow"));
        runEvent("onShow", () -> framework.invokeMember("appEvent", "onShow", "appShow", options));
        return true;
    }

    /**
     * The launch page is not one of the app's: App.onPageNotFound and wx.onPageNotFound listeners run
     * ({path, query, isEntryPage: true}); a page they open (wx.redirectTo and the like, queued behind this
     * task) makes the launch good, otherwise it failed. A second missing page does not run them again: the
     * navigation to it fails.
     */
    private void pageNotFound() {
        ObjectNode arg = Json.object().put("path", launchRoute);
        launchOptions.query().forEach(arg.putObject("query")::put);
        arg.put("isEntryPage", true);
        emit(new RuntimeEvent.Lifecycle("app", "onPageNotFound"));
        String json = Json.write(arg);
        runEvent("onPageNotFound", () -> framework.invokeMember("appEvent", "onPageNotFound", "pageNotFound", json));
        submit(() -> {
            if (navigator.depth() == 0) {
                launchFailed("the launch page " + launchRoute + " is not a page of the app, and onPageNotFound opened no page");
            }
        });
    }

    /**
     * A launch that produced no running app or no first page: an error line and exit 1, in both tiers
     * (the worker's session reports the same exit). The cause (an uncaught error, a violation) was
     * reported by the event that failed.
     */
    private void launchFailed(String reason) {
        if (ended) {
            return; // a violation already ended the session, with its own exit
        }
        emit(new RuntimeEvent.Log("error", "launch failed: " + reason));
        endSession(1, "launch failed: " + reason);
    }

    private Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .timeZone(ZoneOffset.UTC)
                .option("js.allow-eval", "false")
                // The edition DynamicImports parses module code with: one grammar for the check and the engine.
                .option("js.ecmascript-version", Integer.toString(DynamicImports.ECMASCRIPT_YEAR))
                .option("js.console", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                // On only for the promise rejection tracker below: framework.js takes the one function it
                // needs from the Graal global and deletes that global before any guest code runs.
                .option("js.graal-builtin", "true")
                .option("js.unhandled-rejections", "handler")
                .option("js.locale", "en-US")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statementsPerEventMax(), null).build())
                .build();
    }

    // ---- events ---------------------------------------------------------------------------------

    /**
     * Runs guest code as one event under every per-event limit. Returns false if the event did not
     * finish normally (error or violation); the session may have ended.
     */
    boolean runEvent(String label, Runnable body) {
        boolean ok = runOneEvent(label, body);
        // After the outermost event: what it changed is rendered, as an event of its own (lifetimes and
        // observers of new components are guest code), and its batches go out.
        if (eventDepth == 0) {
            renderNow();
        }
        return ok;
    }

    /** Renders what is pending now, as its own event (a page's first render, before its onReady). */
    void renderNow() {
        if (!rendering && !ended && view.dirty()) {
            rendering = true;
            try {
                runOneEvent("render", view::flush);
            } finally {
                rendering = false;
            }
        }
    }

    /**
     * Renders and sends what the running event changed, inside that event (its guest code, observers and lifetimes,
     * runs under the event's limits, which are not reset). Without it the batch went out only when the handler
     * returned, that is after the user answered the host's prompt: a handler's {@code setData} before
     * {@code wx.requestPayment} stayed unseen for as long as the sheet was open. Only inside an event: guest code
     * never runs outside one's limits.
     */
    private void renderBeforeWait() {
        if (eventDepth > 0 && !rendering && !ended && view.dirty()) {
            rendering = true;
            try {
                view.flush();
            } finally {
                rendering = false;
            }
        }
    }

    private boolean runOneEvent(String label, Runnable body) {
        if (ended) {
            return false;
        }
        long seq = ++eventSeq;
        consoleBytes = 0;
        stop.set(null);
        try {
            context.resetLimits();
        } catch (PolyglotException e) {
            endSession(1, "context unusable: " + e.getMessage());
            return false;
        }
        eventAllocatedStart = watchdog.allocatedBytes(loop.thread().threadId());
        eventLabel = label;
        if (eventDepth++ == 0) {
            boundaries.began();
        }
        eventStartNanos = System.nanoTime();
        try {
            body.run();
            Stop requested = stop.get();
            if (requested != null && requested.eventSeq() == seq) {
                violation(requested);
                return false;
            }
            return true;
        } catch (PolyglotException e) {
            failed(label, e, seq);
            return false;
        } finally {
            eventStartNanos = 0;
            if (--eventDepth == 0) {
                boundaries.ended();
            }
        }
    }

    /** A guest error inside a view call (a component's lifetime, observer or handler): reported as uncaught, the render goes on. */
    void guestError(String label, PolyglotException e) {
        failed(label, e, eventSeq);
    }

    /** Set before {@link #start}: where event boundaries go (a worker's channel to its host). */
    void reportEventBoundaries(EventBoundaries to) {
        this.boundaries = to;
    }

    private void failed(String label, PolyglotException e, long seq) {
        if (ended) {
            return; // the host closed the session under a running event: nothing of the guest's to report
        }
        Stop requested = stop.get();
        if (requested != null && requested.eventSeq() == seq) {
            violation(requested);
        } else if (isEngineFault(e)) {
            // A Java error inside the engine (a class that failed to initialise under stack exhaustion,
            // an assertion): the engine may be damaged for every session, so the host must restart it.
            engineFault.run();
            violation(new Stop(seq, ViolationKind.ENGINE, "the JavaScript engine failed in event '" + label + "'; the runtime must be restarted", true));
        } else if (e.isResourceExhausted()) {
            boolean statements = e.getMessage() != null && e.getMessage().startsWith("Statement count limit");
            violation(statements
                    ? new Stop(seq, ViolationKind.CPU, "event '" + label + "' ran more than " + limits.statementsPerEventMax() + " statements", true)
                    : new Stop(seq, ViolationKind.MEMORY, "event '" + label + "' ran out of memory", true));
        } else if (e.isCancelled() || e.isInterrupted()) {
            violation(new Stop(seq, ViolationKind.CPU, "event '" + label + "' was stopped", e.isCancelled()));
        } else if (e.isGuestException()) {
            String message = e.getMessage() == null ? "error" : e.getMessage();
            emit(new RuntimeEvent.Log("error", uncaughtLine(message, label, guestPosition(e))));
            if (!label.equals("onError") && framework != null && !ended) {
                runEvent("onError", () -> framework.invokeMember("appEvent", "onError", "error", Json.quote(message)));
            }
        } else {
            internalError("host error in " + label + ": " + e.getMessage());
        }
    }

    /**
     * "Uncaught MESSAGE (in LABEL, FILE:LINE)": the message is cut so that the whole line stays within
     * {@link HostBridge#LOG_LINE_CHARS_MAX} and the position is never the part cut off.
     */
    static String uncaughtLine(String message, String label, String position) {
        String suffix = " (in " + label + (position == null ? "" : ", " + position) + ")";
        String head = "Uncaught " + message;
        if (head.length() + suffix.length() > HostBridge.LOG_LINE_CHARS_MAX) {
            head = head.substring(0, Math.max(0, HostBridge.LOG_LINE_CHARS_MAX - suffix.length() - 1)) + "…";
        }
        return head + suffix;
    }

    /**
     * Where in the mini-program's own files the error was thrown: the innermost frame of a package
     * file (module sources are named by their package path, and {@link GuestScripts#moduleText} keeps
     * their lines), skipping Capsule's framework; null when no package file is on the stack. Read from
     * the engine's stack, never from the guest's message or its Error.stack, which the guest can forge.
     */
    static String guestPosition(PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            var at = frame.isGuestFrame() ? frame.getSourceLocation() : null;
            if (at != null && at.getSource() != null && !at.getSource().getName().startsWith("capsule:") && at.hasLines()) {
                return at.getSource().getName() + ":" + at.getStartLine();
            }
        }
        return null;
    }

    /** Decided by where the error came from, never by its text: a guest can throw any message it likes. */
    private static boolean isEngineFault(PolyglotException e) {
        return e.isInternalError() || (e.isHostException() && e.asHostException() instanceof Error);
    }

    private void violation(Stop s) {
        if (ended) {
            return;
        }
        RuntimeEvent.Violation v = new RuntimeEvent.Violation(s.kind(), s.message(), s.endsSession());
        if (s.endsSession()) {
            endSession(1, s.kind().wireName() + " violation: " + s.message(), v);
        } else {
            emit(v);
            audit("violation", s.kind().wireName(), s.message());
        }
    }

    /** The session's output passed its cap: stop the current event and end the session, or end it now outside an event. */
    private void outputCapReached() {
        String message = output.capMessage();
        if (eventStartNanos != 0 && loop.onLoopThread()) {
            // Replaces a stop that only ends the event (a console violation first, say): past the cap
            // everything is dropped, so the session must end. The watchdog cancels the guest within a tick.
            Stop cap = new Stop(eventSeq, ViolationKind.OUTPUT, message, true);
            stop.updateAndGet(previous -> previous != null && previous.eventSeq() == cap.eventSeq() && previous.endsSession() ? previous : cap);
        } else {
            violation(new Stop(eventSeq, ViolationKind.OUTPUT, message, true));
        }
    }

    /** Asks for the current event to stop (a limit broken inside a bridge call); the watchdog acts within a tick. */
    void requestStop(ViolationKind kind, String message, boolean endsSession) {
        stop.compareAndSet(null, new Stop(eventSeq, kind, message, endsSession));
    }

    boolean stopRequested() {
        Stop s = stop.get();
        return s != null && s.eventSeq() == eventSeq;
    }

    /** Called by the watchdog every tick. */
    void check(long nowNanos, Watchdog dog) {
        long started = eventStartNanos;
        if (started == 0 || ended) {
            return;
        }
        long seq = eventSeq;
        if (!inHostCall && (nowNanos - started) / 1_000_000 > limits.eventWallMillisMax() + EVENT_OVERRUN_MARGIN_MILLIS
                && overrunSeq != seq) {
            overrunSeq = seq;
            dog.enforce(() -> overran(seq));
            return;
        }
        long allocated = dog.allocatedBytes(loop.thread().threadId()) - eventAllocatedStart;
        if (!inHostWork && allocated > limits.eventAllocatedBytesMax()) {
            Stop previous = stop.get();
            if (previous == null || previous.eventSeq() != seq || previous.kind() != ViolationKind.MEMORY) {
                stop.set(new Stop(seq, ViolationKind.MEMORY, "event allocated more than " + limits.eventAllocatedBytesMax() + " bytes", true));
            }
        } else if (!inHostCall && (nowNanos - started) / 1_000_000 > limits.eventWallMillisMax()) {
            // Time the user spends in a host prompt (modal, consent, payment) is not the guest's CPU.
            stop.compareAndSet(null, new Stop(seq, ViolationKind.CPU, "event ran longer than " + limits.eventWallMillisMax() + " ms", false));
        }
        Stop s = stop.get();
        if (s == null || s.eventSeq() != seq) {
            return;
        }
        // One enforcement per event and kind: interrupts block and must not pile up, but a memory stop
        // always escalates to cancelling the context, even after an interrupt was sent.
        String kind = s.endsSession() ? "cancel" : "interrupt";
        if (enforcedSeq == seq && (kind.equals(enforcedKind) || "cancel".equals(enforcedKind))) {
            return;
        }
        enforcedSeq = seq;
        enforcedKind = kind;
        Context c = context;
        view.cancelWxs(); // a WXS call under the stopped event runs in a context of its own
        if (s.endsSession()) {
            dog.enforce(() -> c.close(true));
        } else {
            dog.enforce(() -> interrupt(c, s));
        }
    }

    /**
     * The event outlived its wall-clock limit by {@link #EVENT_OVERRUN_MARGIN_MILLIS}: neither the
     * interrupt nor the cancel stopped it (one engine operation that does not look back until it
     * returns). The session ends now with a cpu violation; the thread is left to finish the
     * operation (nothing can stop it short of ending the process), which the operator is told.
     */
    private void overran(long seq) {
        if (ended || eventSeq != seq || eventStartNanos == 0) {
            return;
        }
        String label = eventLabel;
        System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "session of " + manifest.id() + ": event '"
                + SafeText.escape(label) + "' did not stop " + EVENT_OVERRUN_MARGIN_MILLIS + " ms after its wall-clock limit; the session"
                + " is ended, and thread " + loop.thread().getName() + " is left to finish an engine operation that cannot be interrupted");
        violation(new Stop(seq, ViolationKind.CPU, "event '" + label + "' ran longer than " + limits.eventWallMillisMax()
                + " ms and did not stop when interrupted", true));
    }

    /**
     * Runs the host side of a wx call: parsing its arguments, the API itself, its answer and its events.
     * Its time counts against the event (host work is the guest's doing), but what it allocates does not
     * count against the event's allocation budget: in-process it runs on this thread, in a worker mostly
     * in the host, and the budget must mean the same in both tiers (the guest's own allocations). The
     * host side bounds its own work (argument, request, value and quota limits). Not reentrant: a wx
     * call never runs guest code before it returns.
     */
    <T> T hostWork(java.util.function.Supplier<T> work) {
        long threadId = loop.thread().threadId();
        long before = watchdog.allocatedBytes(threadId);
        inHostWork = true;
        try {
            return work.get();
        } finally {
            eventAllocatedStart += watchdog.allocatedBytes(threadId) - before;
            inHostWork = false;
        }
    }

    /** Runs a host callout (a prompt the user answers) without charging its time to the event's wall clock. */
    @Override
    public <T> T hostCall(java.util.function.Supplier<T> call) {
        return awaitHost(call, null);
    }

    /**
     * Waits for the host (a prompt in-process, a worker's policy call that may prompt): the wall clock
     * is not checked while waiting, and afterwards the time the user spent is taken off the event's
     * clock: all of it ({@code userNanos} null), or what {@code userNanos} says of the answer. Host
     * work is never taken off: it counts against the event in both tiers alike.
     *
     * <p>What the event changed so far is rendered first ({@link #renderBeforeWait}): the host may show a prompt
     * that waits for the user (a payment sheet, a modal), and the page behind it shows what the handler set before
     * asking ("Paying…"), not the page of before the tap.
     */
    <T> T awaitHost(java.util.function.Supplier<T> wait, java.util.function.ToLongFunction<T> userNanos) {
        renderBeforeWait();
        long began = System.nanoTime();
        inHostCall = true;
        T answer = null;
        try {
            answer = wait.get();
            return answer;
        } finally {
            long waited = System.nanoTime() - began;
            long user = userNanos == null || answer == null ? waited : Math.clamp(userNanos.applyAsLong(answer), 0, waited);
            if (eventStartNanos != 0) {
                eventStartNanos += user; // before the check resumes, so it never sees the user's time
            }
            inHostCall = false;
        }
    }

    private void interrupt(Context c, Stop s) {
        if (eventSeq != s.eventSeq()) {
            return; // that event is over; never interrupt the next one
        }
        try {
            c.interrupt(Duration.ofMillis(INTERRUPT_GRACE_MILLIS));
        } catch (TimeoutException e) {
            stop.set(new Stop(s.eventSeq(), s.kind(), s.message() + " and did not stop when interrupted", true));
            c.close(true);
        } catch (IllegalStateException e) {
            // The context was closed meanwhile: nothing left to stop.
        }
    }

    /**
     * A task event from the host (a socket's message, open, error or close) as its own event, after
     * the current one; the framework hands it to the task's listeners. Either tier: in a worker the
     * host's TASK_EVENT frame arrives here.
     */
    @Override
    public void taskEvent(long task, String event, String payloadJson) {
        if (!ended) {
            submit(() -> runEvent("task " + event, () -> framework.invokeMember("taskEvent", (double) task, event, payloadJson)));
        }
    }

    private void runTimer(int id) {
        runEvent("timer", () -> framework.invokeMember("runTimer", id));
    }

    /** Runs a lifecycle hook as its own event, announcing it first. */
    boolean hook(int targetId, String target, String name, String argJson) {
        if (ended) {
            return false;
        }
        emit(new RuntimeEvent.Lifecycle(target, name));
        return runEvent(name, () -> {
            if (argJson == null) {
                framework.invokeMember("hook", targetId, name);
            } else {
                framework.invokeMember("hook", targetId, name, argJson);
            }
        });
    }

    HostApis hostApis() {
        return hostApis;
    }

    Capabilities capabilities() {
        return hostApis.capabilities();
    }

    Value framework() {
        return framework;
    }

    SessionView sessionView() {
        return view;
    }

    /**
     * The in-process tier's view output: the host's {@link PageViews} over this session's own output.
     * The engine runs in the host here, so a batch its tree refuses is a failure of the view layer, not
     * the guest's doing: the session ends (fail closed) rather than show a tree the checks did not pass.
     */
    SessionView.Sink localViews() {
        PageViews views = new PageViews(output, dev.capsule.runtime.view.ViewLimits.defaults(), PageViews.urls(manifest), limits.pageStackDepthMax());
        this.pageViews = views;
        return new SessionView.Sink() {
            @Override
            public void batch(int page, String route, dev.capsule.runtime.view.ViewBatch batch) {
                try {
                    views.apply(page, route, batch);
                } catch (dev.capsule.runtime.view.ViewOpException e) {
                    internalError("view batch refused: " + e.getMessage());
                    endSession(1, "view batch refused: " + SafeText.escape(String.valueOf(e.getMessage())));
                }
            }

            @Override
            public void shown(int page, int depth) {
                views.shown(page, depth);
            }

            @Override
            public void closed(int page) {
                views.closed(page);
            }
        };
    }

    Context context() {
        return context;
    }

    long millisSinceLaunch() {
        return System.currentTimeMillis() - startedMillis;
    }

    // ---- bridge support ------------------------------------------------------------------------

    /** Counts console output against the per-event budget; false (and a stop) once it is spent. */
    boolean chargeConsole(int bytes) {
        consoleBytes += bytes;
        if (consoleBytes > limits.consoleBytesPerEventMax()) {
            requestStop(ViolationKind.CONSOLE, "event wrote more than " + limits.consoleBytesPerEventMax() + " bytes of console output", false);
            return false;
        }
        return true;
    }

    /** Queues work for the loop; when the queue is full, the current event is stopped for a queue violation. */
    boolean submit(Runnable task) {
        if (loop.submit(task)) {
            return true;
        }
        if (!ended) {
            requestStop(ViolationKind.QUEUE, "more than " + limits.tasksQueuedMax() + " events queued", false);
        }
        return false;
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public void emit(RuntimeEvent event) {
        output.emit(event);
    }

    void audit(String action, String outcome, String detail) {
        auditSink.record(new AuditEvent(Instant.now(), manifest.id(), userId, action, outcome, SafeText.escape(detail)));
    }

    void internalError(String message) {
        emit(new RuntimeEvent.Log("error", "capsule internal error: " + SafeText.escape(message)));
    }

    byte[] file(String path) {
        return pkg.file(path);
    }

    boolean hasFile(String path) {
        return pkg.hasFile(path);
    }

    String fileText(String path) {
        return new String(pkg.file(path), StandardCharsets.UTF_8);
    }

    // ---- MiniProgramSession ---------------------------------------------------------------------

    @Override
    public void dispatch(String handler, String route, String eventJson) {
        submit(() -> navigator.dispatch(handler, route, eventJson));
    }

    @Override
    public void dispatchView(dev.capsule.runtime.view.ViewEvent event) {
        java.util.Objects.requireNonNull(event, "event");
        // In-process the host's trees are this session's own; in a worker the host checked before sending it.
        if (pageViews != null && !checkedViewEvent(pageViews, event, this::emit)) {
            return;
        }
        submit(() -> {
            int page = navigator.topId();
            if (page == 0) {
                emit(new RuntimeEvent.Log("error", "view event refused: no page is open"));
                return;
            }
            runEvent("view " + event.type(), () -> view.dispatch(page, event));
        });
    }

    /**
     * The host's check of a view event against the current page's tree (both tiers): a refused one runs
     * nothing and is an error line.
     */
    static boolean checkedViewEvent(PageViews views, dev.capsule.runtime.view.ViewEvent event, java.util.function.Consumer<RuntimeEvent> emit) {
        try {
            views.check(event);
            return true;
        } catch (dev.capsule.runtime.view.ViewOpException e) {
            emit.accept(new RuntimeEvent.Log("error", "view event refused: " + SafeText.escape(String.valueOf(e.getMessage()))));
            return false;
        }
    }

    @Override
    public java.util.Optional<dev.capsule.runtime.view.ViewSnapshot> view() {
        PageViews views = pageViews;
        return views == null ? java.util.Optional.empty() : views.current();
    }

    @Override
    public java.util.Optional<dev.capsule.runtime.view.ShownPage> shownPage() {
        PageViews views = pageViews;
        return views == null ? java.util.Optional.empty() : views.shownPage();
    }

    @Override
    public boolean canGoBack() {
        return !ended && navigator.canGoBack();
    }

    @Override
    public boolean navigateBack() {
        // Runs after the current event, as wx.navigateBack; the stack is checked again then.
        return canGoBack() && submit(navigator::hostBack);
    }

    @Override
    public void switchTab(int index) {
        checkTabIndex(pkg.app(), index);
        submit(() -> navigator.hostTab(index, view.chrome().tabText(index)));
    }

    /** The host's tab index must name an item of app.json's tabBar list (both tiers check it before anything is queued). */
    static void checkTabIndex(dev.capsule.core.manifest.AppConfig app, int index) {
        int items = app.tabBarPages().size();
        if (items == 0) {
            throw new IllegalArgumentException("this mini-program has no tab bar");
        }
        if (index < 0 || index >= items) {
            throw new IllegalArgumentException("tab index " + index + " is outside the tab bar's " + items + " items");
        }
    }

    @Override
    public void networkStatusChanged(NetworkStatus.Type type) {
        notifyChannel(DeviceApis.NETWORK_CHANNEL, DeviceApis.networkStatus(type));
    }

    /** Calls a framework channel's listeners with {@code payloadJson}, if this session has that channel's listener APIs. */
    void notifyChannel(String channel, String payloadJson) {
        if (Apis.channelAvailable(channel, capabilities())) {
            submit(() -> runEvent(channel, () -> framework.invokeMember("notify", channel, payloadJson)));
        }
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return loop.awaitIdle(timeout.toMillis()) || ended;
    }

    @Override
    public String currentRoute() {
        return navigator.currentRoute();
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    /** Ends the session from the loop thread or any other. */
    void endSession(int code, String reason) {
        endSession(code, reason, null);
    }

    /**
     * Ends the session once: the violation that ends it (if any, audited), then the exit event, nothing
     * after; false if it had already ended.
     */
    private boolean endSession(int code, String reason, RuntimeEvent.Violation violation) {
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            exitCode = code;
        }
        if (violation != null) {
            audit("violation", violation.kind().wireName(), violation.message());
        }
        // Before the loop stops: whoever waits for the session to go idle then finds its last events delivered.
        output.end(violation, new RuntimeEvent.Exit(code, reason));
        watchdog.forget(this);
        hostApis.sessionEnded();
        loop.stop();
        Context c = context;
        if (loop.onLoopThread()) {
            view.close();
        } else {
            watchdog.enforce(view::close); // the WXS context: cancelled if a call runs, closed either way
        }
        if (c != null) {
            if (loop.onLoopThread()) {
                c.close(true);
            } else {
                watchdog.enforce(() -> c.close(true));
            }
        }
        return true;
    }

    /** The host's stop: the same ending as a violation's, with the host's reason; the context is cancelled under a running event. */
    @Override
    public void stop(StopReason reason, String detail) {
        String text = SafeText.escape(java.util.Objects.requireNonNull(detail, "detail"));
        if (endSession(1, java.util.Objects.requireNonNull(reason, "reason").wireName() + ": " + text, null)) {
            audit(STOP_AUDIT_ACTION, reason.wireName(), text);
        }
    }

    @Override
    public void close() {
        endSession(0, "closed");
        try {
            loop.join(INTERRUPT_GRACE_MILLIS * 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
