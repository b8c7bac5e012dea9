package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.StopReason;
import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.host.NetworkStatus;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The host's handle on a session running in a worker process. It wires the parts that each do one
 * job: {@link WorkerReader} reads the worker's frames, {@link WorkerEvents} checks what it reports,
 * {@link PolicyCalls} serves its policy calls on {@link HostSide} (all policy stays in the host),
 * {@link WorkerQueries} matches the host's questions to its answers, {@link WorkerEventClock} is the
 * host's backstop on each event's wall clock, {@link WorkerEnding} ends the session once, and the
 * session's {@link AuditRecorder} and {@link SessionOutput} are the same as in-process.
 *
 * <p>Security guarantees: the worker is untrusted. It cannot claim another app, user or a verified
 * launch (the host emits the launch event and checks the worker's copy), cannot call an API the host
 * did not grant, cannot report a host API as successful unless the host answered it so, cannot emit
 * UI events or the host's own violation kinds, cannot pass its own text through as page data (the
 * host re-serializes it), and cannot end a session it broke with exit 0. Parsing one of its frames is
 * bounded by the frame's size and token limits; no shared host thread waits on it, and a worker that
 * leaves too much unread or stalls a write is killed; an event that outlives its wall-clock limit by
 * {@link WorkerEventClock#HOST_OVERRUN_MARGIN_MILLIS} gets the worker killed; a session's audit
 * records and output are capped by the host. Any error while handling a worker ends that session
 * only. Limits a worker enforces on its own guest (statements, allocation, timers, console, setData,
 * queue) are only as good as the worker; the host's backstops are the worker's heap, rlimits, frame
 * limits, its event clock and these checks.
 */
final class RemoteSession implements MiniProgramSession, HostSide.Callouts {
    /** How long close() waits for the worker's own exit event before killing it. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    private final WorkerProcess worker;
    private final CapsulePackage pkg;
    private final RuntimeEvent.Launch launch;
    private final HostSide host;
    private final SessionOutput output;
    private final WorkerEnding ending;
    private final WorkerOutbox outbox;
    private final WorkerQueries queries;
    private final WorkerEventClock clock;
    private final PolicyCalls calls;
    private final WorkerReader reader;
    private final PageViews views;
    private volatile String lastRoute;

    RemoteSession(WorkerProcess worker, CapsulePackage pkg, boolean verified, String userId, RuntimeLimits limits,
            java.util.Set<dev.capsule.runtime.ApiGroup> groups, HostServices services,
            StorageArea storage, GuardedHttpClient http, EventSink sink) {
        String appId = pkg.manifest().id();
        this.worker = worker;
        this.pkg = pkg;
        this.launch = new RuntimeEvent.Launch(appId, pkg.manifest().version(), verified, userId);
        AuditRecorder audit = new AuditRecorder(services.audit(), appId, userId);
        this.output = new SessionOutput(sink, limits.sessionOutputBytesMax(), this::outputCapReached);
        this.ending = new WorkerEnding(worker, output, audit, appId);
        this.outbox = new WorkerOutbox(worker, ending);
        this.queries = new WorkerQueries(outbox);
        this.clock = new WorkerEventClock(appId, limits.eventWallMillisMax(), ending);
        this.host = new HostSide(pkg.manifest(), userId, limits, groups, services, storage, http, audit, this);
        this.calls = new PolicyCalls(appId, host, outbox, clock, ending, this::emit);
        this.views = new PageViews(output, dev.capsule.runtime.view.ViewLimits.defaults(), PageViews.urls(pkg.manifest()), limits.pageStackDepthMax());
        this.reader = new WorkerReader(appId, worker, new WorkerEvents(launch, output, audit, calls, ending, views), calls, queries, clock, ending);
        ending.onEnd(queries::cancelAll);
        ending.onEnd(host::sessionEnded);
    }

    /** Emits the launch event, sends LAUNCH and starts reading; a worker that cannot take the launch ends the session. */
    void start(dev.capsule.runtime.LaunchOptions launchOptions, RuntimeLimits limits) {
        emit(launch);
        byte[] header = Json.mapper().writeValueAsBytes(WorkerMessages.launch(launch.userId(), launch.verified(), launchOptions, limits,
                host.capabilities()));
        byte[] archive = pkg.archive();
        ByteArrayOutputStream body = new ByteArrayOutputStream(4 + header.length + archive.length);
        body.writeBytes(ByteBuffer.allocate(4).putInt(header.length).array());
        body.writeBytes(header);
        body.writeBytes(archive);
        reader.start();
        calls.start();
        clock.start();
        outbox.launch(body.toByteArray());
    }

    private void outputCapReached() {
        ending.kill(ViolationKind.OUTPUT, output.capMessage());
    }

    // ---- HostSide.Callouts ----------------------------------------------------------------------

    @Override
    public <T> T hostCall(Supplier<T> call) {
        return calls.userWait(call);
    }

    @Override
    public void emit(RuntimeEvent event) {
        output.emit(event);
    }

    @Override
    public void taskEvent(long task, String event, String payloadJson) {
        if (!ending.ended()) {
            outbox.send(WorkerProtocol.TASK_EVENT, Json.object().put("task", task).put("event", event).put("payload", payloadJson));
        }
    }

    // ---- MiniProgramSession ---------------------------------------------------------------------

    @Override
    public void dispatch(String handler, String route, String eventJson) {
        outbox.send(WorkerProtocol.DISPATCH, Json.object().put("handler", handler).put("route", route).put("event", eventJson));
    }

    @Override
    public void dispatchView(dev.capsule.runtime.view.ViewEvent event) {
        if (Session.checkedViewEvent(views, java.util.Objects.requireNonNull(event, "event"), this::emit)) {
            outbox.send(WorkerProtocol.VIEW_EVENT, ViewMessages.event(event));
        }
    }

    @Override
    public java.util.Optional<dev.capsule.runtime.view.ViewSnapshot> view() {
        return views.current();
    }

    @Override
    public java.util.Optional<dev.capsule.runtime.view.ShownPage> shownPage() {
        return views.shownPage();
    }

    @Override
    public boolean canGoBack() {
        return !ending.ended() && views.canGoBack();
    }

    @Override
    public boolean navigateBack() {
        if (!canGoBack()) {
            return false;
        }
        outbox.send(WorkerProtocol.NAVIGATE, Json.object().put("kind", "back"));
        return true;
    }

    @Override
    public void switchTab(int index) {
        Session.checkTabIndex(pkg.app(), index);
        outbox.send(WorkerProtocol.NAVIGATE, Json.object().put("kind", "tab").put("index", index));
    }

    @Override
    public void networkStatusChanged(NetworkStatus.Type type) {
        // The worker's session checks that it has the channel, as the in-process one does.
        outbox.send(WorkerProtocol.NOTIFY, Json.object().put("channel", DeviceApis.NETWORK_CHANNEL).put("payload", DeviceApis.networkStatus(type)));
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (ending.ended()) {
            return true;
        }
        JsonNode answer = queries.ask(WorkerProtocol.AWAIT_IDLE, Json.object().put("millis", timeout.toMillis()),
                timeout.toMillis() + WorkerQueries.QUERY_GRACE_MILLIS);
        return ending.ended() || (answer != null && answer.path("idle").asBoolean(false));
    }

    @Override
    public String currentRoute() {
        if (!ending.ended()) {
            try {
                JsonNode answer = queries.ask(WorkerProtocol.ROUTE_QUERY, Json.object(), WorkerQueries.QUERY_GRACE_MILLIS);
                if (answer != null && answer.has("route")) {
                    JsonNode r = answer.get("route");
                    lastRoute = r.isString() && r.stringValue().length() <= WorkerMessages.NAME_CHARS_MAX ? SafeText.escape(r.stringValue()) : null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return lastRoute;
    }

    @Override
    public boolean ended() {
        return ending.ended();
    }

    @Override
    public int exitCode() {
        return ending.exitCode();
    }

    @Override
    public void stop(StopReason reason, String detail) {
        ending.stop(java.util.Objects.requireNonNull(reason, "reason"), java.util.Objects.requireNonNull(detail, "detail"));
    }

    @Override
    public void close() {
        outbox.send(WorkerProtocol.CLOSE, Json.object());
        try {
            if (!ending.awaitExit(CLOSE_WAIT_MILLIS)) {
                worker.kill();
                ending.end(0, "closed (the worker did not stop in time and was killed)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.kill();
            ending.end(0, "closed", null);
        }
    }

    /** The worker's process, for tests and diagnostics. */
    Process process() {
        return worker.process();
    }
}
