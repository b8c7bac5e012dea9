package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.view.AssetSource;
import dev.capsule.runtime.view.BrowserView;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewOpException;
import dev.capsule.runtime.view.ViewSnapshot;
import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.host.internal.Wire.Inbound;
import dev.capsule.server.host.internal.Wire.WireException;
import dev.capsule.server.registry.MiniProgramId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One hosted mini-program session on this node: the runtime's session, the browser link it currently has (none while
 * the browser reconnects), its prompts, its event bucket and the projection of its current page for the browser.
 *
 * <p>The runtime reports events on its own threads (in a worker, the reader of the worker's pipe); they are handed to
 * this session's one outbound thread, which turns them into frames in order and may ask the session for its shown
 * page without ever blocking the thread that reports.
 *
 * <p>Security guarantees: browser frames reach the runtime only as checked values (a {@link ViewEvent} whose target is
 * an element of the shown page that emits that type, an answer that fits a waiting prompt, a back or a tab index),
 * at most {@code events-burst-max} at once and {@code events-per-second-max} sustained; everything else is answered
 * with a {@code refused} frame and never reaches the guest. What the session sends is built by {@link Wire} and
 * {@link BrowserView}.
 */
final class HostedSession {
    private static final Logger log = LoggerFactory.getLogger(HostedSession.class);
    /** Why a session ended, as the browser's {@code ended} frame and the {@code session.end} audit detail name it. */
    enum End {
        /** The mini-program ran to its end. */
        EXITED("exited", "The mini-program closed."),
        /** The runtime stopped it (a limit, a policy, a fault); it alone ended. */
        STOPPED("stopped", "The mini-program was stopped because it broke a rule of the platform."),
        /** No browser event (or connection) for {@code capsule.host.idle-seconds}. */
        IDLE("idle", "The mini-program was closed after a time without use."),
        /** The shell session it was opened under expired (the principal's {@code expires}). */
        EXPIRED("expired", "Your sign-in has expired; sign in again to go on."),
        /** The development preview rebuilt it ({@code reload} instead of {@code ended}). */
        RESTARTED("restarted", "The mini-program was rebuilt."),
        /** The server is shutting down. */
        SHUTDOWN("shutdown", "The server is shutting down."),
        /** The user asked for their data to be erased (a data-subject request): every session of theirs ends. */
        ERASED("erased", "Your data is being deleted at your request; you have been signed out.");

        final String code;
        final String sentence;

        End(String code, String sentence) {
            this.code = code;
            this.sentence = sentence;
        }
    }

    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9_./-]{1,256}");

    final HostedSessionId id;
    final ShellPrincipal principal;
    final MiniProgramId app;
    final LaunchPlan plan;
    final boolean dev;
    private final Prompts prompts = new Prompts();
    private final EventBucket bucket;
    private final Duration promptWait;
    private final BrowserView browserView;
    private final ExecutorService outbound = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("capsule-host-out-", 0).factory());
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile BrowserLink link;
    private volatile MiniProgramSession session;
    private volatile long lastActiveNanos;
    /** Whether the current run of rate-refused frames was answered already (frames of one socket come one at a time). */
    private boolean rateRefused;

    HostedSession(HostedSessionId id, ShellPrincipal principal, LaunchPlan plan, HostSettings settings, long nowNanos) {
        this.id = id;
        this.principal = principal;
        this.app = plan.entry().app();
        this.plan = plan;
        this.dev = plan instanceof LaunchPlan.Preview;
        this.bucket = new EventBucket(settings.eventsPerSecondMax(), settings.eventsBurstMax(), nowNanos);
        this.promptWait = Duration.ofSeconds(settings.promptSeconds());
        this.lastActiveNanos = nowNanos;
        String base = "/shell/s/" + id.value();
        this.browserView = new BrowserView(this::assetUrl,
                route -> base + "/page.css?route=" + URLEncoder.encode(route, StandardCharsets.UTF_8));
    }

    ShellUserId user() {
        return principal.user();
    }

    CapsulePackage pkg() {
        return switch (plan) {
            case LaunchPlan.Released released -> released.release().pkg();
            case LaunchPlan.Preview preview -> preview.pkg();
        };
    }

    /**
     * The same-origin URL of a package image or font of this session ({@code /shell/s/<sid>/assets/<path>}), or empty
     * when the package has no such file or it is neither an image nor a font (the view then drops it).
     */
    Optional<String> assetUrl(String path) {
        return mediaType(pkg(), path).map(type -> "/shell/s/" + id.value() + "/assets/" + encodePath(path));
    }

    /** The media type of a package image or font, from its extension; empty for anything else or a missing file. */
    static Optional<String> mediaType(CapsulePackage pkg, String path) {
        if (path == null || !pkg.hasFile(path)) {
            return Optional.empty();
        }
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return Optional.ofNullable(AssetSource.IMAGE_TYPES.getOrDefault(extension, AssetSource.FONT_TYPES.get(extension)));
    }

    /** The runtime's session, once launched. */
    Optional<MiniProgramSession> session() {
        return Optional.ofNullable(session);
    }

    void started(MiniProgramSession started) {
        this.session = started;
        if (ended.get()) {
            started.close(); // ended while it launched (its Exit came first): closed here, whichever saw it last
            return;
        }
        touch(System.nanoTime()); // idle counts from the session being ready, not from the start of a slow launch
        outbound(this::sendUpdate);
    }

    /** The launch failed: nothing more is sent from here (the caller tells the browser why) and nothing is left running. */
    void discard() {
        ended.set(true);
        prompts.close();
        outbound.shutdown();
    }

    boolean ended() {
        return ended.get();
    }

    long lastActiveNanos() {
        return lastActiveNanos;
    }

    void touch(long nowNanos) {
        lastActiveNanos = nowNanos;
    }

    // ---- the browser link ----

    /**
     * Gives the session a (new) browser: the old link, if any, is closed; the browser gets the {@code open} frame,
     * the whole current page and the prompts still waiting.
     */
    void attach(BrowserLink newLink, boolean demo, long nowNanos) {
        BrowserLink old = link;
        link = newLink;
        touch(nowNanos);
        if (old != null && old != newLink && old.isOpen()) {
            old.close(HostSocketHandler.CLOSE_REPLACED, "another connection resumed this session");
        }
        outbound(() -> {
            send(Wire.open(id, plan.entry(), dev, demo));
            MiniProgramSession s = session;
            if (s != null) {
                s.shownPage().ifPresent(page -> send(browserView.page(page)));
            }
            prompts.waitingFrames().forEach(this::send);
        });
    }

    /** The browser went away (the session waits for it to resume until it is idle too long). */
    void detach(BrowserLink gone, long nowNanos) {
        if (link == gone) {
            link = null;
            touch(nowNanos);
        }
    }

    boolean linked(BrowserLink candidate) {
        return link == candidate;
    }

    void send(String frame) {
        BrowserLink current = link;
        if (current != null && current.isOpen()) {
            current.send(frame);
        }
    }

    // ---- browser → session ----

    /**
     * One frame from the browser: refused (a {@code refused} frame, nothing reaches the guest) when over the rate, when
     * it does not parse, or when it does not fit the session's state.
     *
     * <p>A flood is answered with one {@code refused} frame per run of refused frames, not one each, so a browser
     * cannot make the host send as fast as it sends.
     */
    void receive(String text, long nowNanos) {
        if (!bucket.take(nowNanos)) {
            if (!rateRefused) {
                rateRefused = true;
                send(Wire.refused("too many events: at most the host's event rate reaches the mini-program"));
            }
            return;
        }
        rateRefused = false;
        touch(nowNanos);
        try {
            Inbound frame = Wire.parse(text);
            if (frame instanceof Inbound.Answer answer) {
                prompts.answer(answer.id(), answer.fields());
                return;
            }
            MiniProgramSession s = session;
            if (s == null || s.ended()) {
                throw new WireException("the mini-program is not running");
            }
            switch (frame) {
                case Inbound.Event event -> dispatch(s, event.event());
                case Inbound.Back back -> {
                    if (!s.navigateBack()) {
                        throw new WireException("there is no page to go back to");
                    }
                }
                case Inbound.Tab tab -> {
                    try {
                        s.switchTab(tab.index());
                    } catch (IllegalArgumentException e) {
                        throw new WireException("the mini-program has no tab at this index");
                    }
                }
                case Inbound.Answer answer -> throw new AssertionError("answered above");
            }
        } catch (WireException e) {
            send(Wire.refused(e.getMessage()));
        }
    }

    /**
     * The runtime's one rule for reported events ({@link ViewSnapshot#check}: the target is an attached element of
     * the page shown now and its component emits the type), applied before the event reaches the session, so a
     * refusal is answered to the browser here; the session applies the same rule again and would only log it.
     */
    private static void dispatch(MiniProgramSession s, ViewEvent event) throws WireException {
        ViewSnapshot shown = s.view().orElseThrow(() -> new WireException("the current page has no view"));
        try {
            shown.check(event);
        } catch (ViewOpException e) {
            throw new WireException("event refused: " + e.getMessage());
        }
        s.dispatchView(event);
    }

    // ---- prompts (called on the session's threads by its HostServices) ----

    Optional<JsonNode> prompt(Prompts.Kind kind, IntFunction<String> frame, int items) {
        try {
            return prompts.ask(kind, frame, items, this::send, promptWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // ---- session → browser ----

    /** The runtime's event sink: hands each event to the outbound thread, never blocks. */
    void accept(RuntimeEvent event) {
        outbound(() -> deliver(event));
    }

    private void deliver(RuntimeEvent event) {
        switch (event) {
            case RuntimeEvent.View view -> sendUpdate();
            case RuntimeEvent.Lifecycle lifecycle -> sendUpdate();
            case RuntimeEvent.Ui ui -> uiKind(ui.kind()).ifPresent(kind -> send(Wire.ui(kind, parsed(ui.json()))));
            case RuntimeEvent.Log line -> devFrame("log", Wire.object().put("level", line.level()).put("text", line.text()));
            case RuntimeEvent.Violation violation -> devFrame("violation", Wire.object().put("kind", violation.kind().wireName())
                    .put("message", violation.message()).put("sessionEnded", violation.sessionEnded()));
            case RuntimeEvent.Data data -> {
                ObjectNode entry = Wire.object().put("route", data.route());
                entry.set("data", parsed(data.json()));
                devFrame("data", entry);
            }
            case RuntimeEvent.Api api -> devFrame("api", Wire.object().put("name", api.name()).put("ok", api.ok()).put("reason", api.reason()));
            case RuntimeEvent.Launch launch -> { } // the open frame came first, from the platform's catalogue
            case RuntimeEvent.Exit exit -> { } // the session host ends the session (SessionHost.exited)
        }
    }

    private void sendUpdate() {
        MiniProgramSession s = session;
        if (s != null && !s.ended()) {
            browserView.update(s.shownPage()).ifPresent(this::send);
        }
    }

    /** A development preview's panel line; nothing on a released session. */
    void devFrame(String kind, ObjectNode entry) {
        if (dev) {
            send(Wire.dev(kind, entry));
        }
    }

    /**
     * The runtime's host-UI event kinds the shell draws as {@code ui} frames. Modals and action sheets are prompts
     * (sent when the runtime asks, {@link SessionServices}); their {@code Ui} events only report the answer.
     */
    static Optional<String> uiKind(String runtimeKind) {
        return switch (runtimeKind) {
            case "showToast" -> Optional.of("toast");
            case "hideToast" -> Optional.of("hideToast");
            case "showLoading" -> Optional.of("loading");
            case "hideLoading" -> Optional.of("hideLoading");
            default -> Optional.empty();
        };
    }

    // ---- ending ----

    /**
     * Ends the session once: waiting prompts are cancelled, the runtime's session is closed, the browser gets
     * {@code ended} (or {@code reload} after a rebuild) and its socket is closed.
     *
     * @param recorded run once, before the browser is told (the audit record comes first)
     * @return false when it had already ended
     */
    boolean end(End why, Optional<String> reloadReason, Runnable recorded) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        recorded.run();
        prompts.close();
        MiniProgramSession s = session;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("closing hosted session {} failed: {}", id, e.getClass().getSimpleName());
            }
        }
        outbound(() -> {
            send(reloadReason.map(Wire::reload).orElseGet(() -> Wire.ended(why.sentence)));
            BrowserLink current = link;
            if (current != null) {
                current.close(HostSocketHandler.CLOSE_NORMAL, why.code);
            }
        });
        outbound.shutdown();
        return true;
    }

    private void outbound(Runnable task) {
        try {
            outbound.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // One session's failure stays its own: logged without guest text, the others go on.
                    log.warn("hosted session {}: {} while sending to the browser", id, e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException e) {
            // ended: nothing more is sent
        }
    }

    private static JsonNode parsed(String json) {
        try {
            return Wire.JSON.readTree(json);
        } catch (RuntimeException e) {
            return Wire.object();
        }
    }

    /** A package path as a URL path: each segment percent-encoded, so the URL stays of safe characters only. */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** Whether a {@code page.css} route parameter has a route's shape (the package then decides whether it is a page). */
    static boolean routeShaped(String route) {
        return route != null && ROUTE.matcher(route).matches() && !route.contains("..");
    }
}
