package dev.capsule.runtime.internal;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.ViolationKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The only host object the framework script sees (and it keeps it from guest code). Every member
 * takes and returns strings, numbers and booleans: no host object ever reaches the guest, and no
 * host exception either — a bad call gets a fail result, a broken invariant a log line.
 *
 * <p>Security guarantees: arguments arrive as JSON text made by the framework's snapshot (plain
 * data, no getters or proxies run), are parsed here, then checked, then used — the value checked is
 * the value used.
 */
final class HostBridge implements ProxyObject {
    /** Longest single console line kept; the per-event budget still counts all of it. */
    static final int LOG_LINE_CHARS_MAX = 8 * 1024;
    /** The audit action of a module refused before it ran (an import call, or text the check cannot parse). */
    static final String MODULE_AUDIT_ACTION = "require";
    /** Largest JSON text a bridge call may carry (setData has its own, smaller, limit). */
    static final int ARGS_CHARS_MAX = 16 * 1024 * 1024;
    /**
     * Deepest data the guest can hand the host, in levels of objects and arrays (the root object is
     * level 1): {@code wx} arguments, setData changes and the page data they produce. The host's JSON
     * parser has the same bound, and the worker protocol allows this plus its envelope, so data the
     * session accepts never trips a frame limit.
     */
    static final int DATA_DEPTH_MAX = StrictJson.NESTING_DEPTH_MAX;
    /**
     * Unhandled promise rejections kept for one run of App.onUnhandledRejection / wx.onUnhandledRejection
     * (a batch: those reported before that event runs); each is logged even past it.
     */
    static final int REJECTIONS_QUEUED_MAX = 100;

    private final Session session;
    private final Map<String, ProxyExecutable> members;

    HostBridge(Session session) {
        this.session = session;
        this.members = Map.ofEntries(
                member("config", a -> config()),
                // A wx call's host side (parsing its arguments, the API, its answer and events) is host work:
                // on the event's clock, off its allocation budget (Session.hostWork).
                member("call", a -> session.hostWork(() -> { call(str(a, 0), a[1].asInt(), str(a, 2)); return null; })),
                member("reject", a -> { deliver(str(a, 0), a[1].asInt(), ApiOutcome.fail(str(a, 2))); return null; }),
                member("callSync", a -> session.hostWork(() -> callSync(str(a, 0), str(a, 1)))),
                member("log", a -> { log(str(a, 0), str(a, 1)); return null; }),
                member("setTimer", a -> setTimer(a[0].asInt(), a[1].asDouble(), a[2].asBoolean())),
                member("clearTimer", a -> { session.loop().cancel(a[0].asInt()); return null; }),
                member("resolve", a -> Modules.resolve(session.pkg, str(a, 0), str(a, 1))),
                member("compile", a -> compile(str(a, 0))),
                member("setData", a -> setData(a[0].asInt(), str(a, 1), strOrNull(a, 2), strOrNull(a, 3))),
                member("rejected", a -> { rejected(str(a, 0), a[1].asBoolean()); return null; }),
                member("dataChanged", a -> { dataChanged(a[0].asInt(), str(a, 1), str(a, 2)); return null; }),
                // The view's side: what a page or component instance renders, and the component tree's
                // questions (triggerEvent, selectComponent, owner, relations), answered by the session's view.
                member("viewData", a -> { session.sessionView().dataReported(a[0].asInt(), str(a, 1)); return null; }),
                member("triggerEvent", a -> { session.sessionView().triggerEvent(a[0].asInt(), str(a, 1), str(a, 2), a[3].asBoolean(), a[4].asBoolean(),
                        a[5].asBoolean()); return null; }),
                member("selectComponents", a -> session.sessionView().select(a[0].asInt(), str(a, 1), a[2].asBoolean())),
                member("ownerOf", a -> session.sessionView().owner(a[0].asInt())),
                member("relationNodes", a -> session.sessionView().relationNodes(a[0].asInt(), str(a, 1))));
    }

    private Map.Entry<String, ProxyExecutable> member(String name, Function<Value[], Object> body) {
        return Map.entry(name, args -> {
            try {
                return body.apply(args);
            } catch (PolyglotException e) {
                throw e; // guest errors, interrupts and cancellation pass through untouched
            } catch (RuntimeException e) {
                session.internalError("bridge " + name + ": " + (e.getMessage() == null ? "failed" : e.getMessage()));
                return null;
            }
        });
    }

    /** What the framework builds wx from and checks data against; read once, before any guest code. */
    private String config() {
        ObjectNode config = Json.object().put("dataDepthMax", DATA_DEPTH_MAX).put("rejectionsQueuedMax", REJECTIONS_QUEUED_MAX);
        config.set("apis", Apis.tableJson(session.capabilities()));
        return Json.write(config);
    }

    private static String strOrNull(Value[] args, int i) {
        return i < args.length && args[i].isNull() ? null : str(args, i);
    }

    private static String str(Value[] args, int i) {
        if (i >= args.length || !args[i].isString()) {
            throw new IllegalArgumentException("bridge argument " + i + " is not a string");
        }
        String s = args[i].asString();
        if (s.length() > ARGS_CHARS_MAX) {
            throw new IllegalArgumentException("bridge argument " + i + " is too large");
        }
        return s;
    }

    // ---- wx calls -------------------------------------------------------------------------------

    private void call(String name, int id, String argsJson) {
        deliver(name, id, handle(name, false, argsJson));
    }

    /** Session-local APIs run here; policy APIs go to the host side (directly, or over the worker protocol). */
    private ApiOutcome handle(String name, boolean sync, String argsJson) {
        JsonNode args;
        try {
            args = Json.parse(argsJson);
        } catch (RuntimeException e) {
            return ApiOutcome.fail("arguments are not data");
        }
        if (session.stopRequested()) {
            return ApiOutcome.fail("the event was stopped for a violation");
        }
        LocalApi local = Apis.local(name, sync, session.capabilities());
        return local != null ? local.handle(session, args) : session.hostApis().invoke(name, sync, args);
    }

    /** Delivers an async API's outcome as its own event, after the current one (callbacks are never synchronous). */
    private void deliver(String name, int id, ApiOutcome outcome) {
        switch (outcome) {
            case ApiOutcome.Later later -> {
                session.loop().externalWorkStarted();
                later.future().whenComplete((result, error) -> {
                    ApiOutcome done = error != null ? ApiOutcome.fail("internal error") : result;
                    if (!session.submit(() -> deliver(name, id, done))) {
                        session.internalError("could not deliver " + name + " result: queue full or session ended");
                    }
                    session.loop().externalWorkFinished();
                });
            }
            case ApiOutcome.Ok ok -> {
                report(name, true, null);
                ObjectNode result = ok.value() instanceof ObjectNode o ? o.deepCopy() : Json.object();
                result.put("errMsg", name + ":ok");
                String json = Json.write(result);
                session.submit(() -> session.runEvent("callback " + name, () -> session.framework().invokeMember("deliver", id, true, json)));
            }
            case ApiOutcome.Fail fail -> {
                report(name, false, fail);
                String json = Json.write(Json.object().put("errMsg", name + ":fail " + fail.reason()));
                session.submit(() -> session.runEvent("callback " + name, () -> session.framework().invokeMember("deliver", id, false, json)));
            }
        }
    }

    private String callSync(String name, String argsJson) {
        ApiOutcome outcome = handle(name, true, argsJson);
        return switch (outcome) {
            case ApiOutcome.Ok ok -> {
                report(name, true, null);
                yield Json.write(Json.object().put("ok", true).set("value", ok.value()));
            }
            case ApiOutcome.Fail fail -> {
                report(name, false, fail);
                yield Json.write(Json.object().put("ok", false).put("errMsg", name + ":fail " + fail.reason()));
            }
            case ApiOutcome.Later later -> throw new IllegalStateException(name + " is synchronous but answered later");
        };
    }

    /** Policy APIs' denials were already audited by the host side, where the decision was made; local ones are audited here. */
    private void report(String name, boolean ok, ApiOutcome.Fail fail) {
        session.emit(new RuntimeEvent.Api(name, ok, fail == null ? null : fail.reason()));
        if (fail != null && fail.denied() && Apis.local(name, false) != null) {
            session.audit("wx." + name, "denied", fail.reason());
        }
    }

    // ---- console, timers, modules, data ---------------------------------------------------------

    private void log(String level, String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (!session.chargeConsole(bytes)) {
            return;
        }
        session.emit(new RuntimeEvent.Log(level, logLine(text)));
    }

    /**
     * A promise rejection nobody handled, reported by the engine's tracker at the end of the event that
     * rejected: logged as the guest's own error output (on its console budget: one event can reject
     * many promises), and the first of a batch queues the event that runs the guest's handlers.
     */
    private void rejected(String text, boolean first) {
        log("error", "Unhandled promise rejection: " + text);
        if (first) {
            session.submit(() -> session.runEvent("onUnhandledRejection", () -> session.framework().invokeMember("reportRejections", "onUnhandledRejection", "unhandledRejection")));
        }
    }

    /** A guest-influenced log text cut to {@link #LOG_LINE_CHARS_MAX}: the same bound in both tiers, within the protocol's. */
    static String logLine(String text) {
        return text.length() > LOG_LINE_CHARS_MAX ? text.substring(0, LOG_LINE_CHARS_MAX) + "…" : text;
    }

    private boolean setTimer(int id, double delayMillis, boolean repeat) {
        if (session.loop().pendingTimers() >= session.limits.timersPendingMax()) {
            session.requestStop(ViolationKind.TIMERS, "more than " + session.limits.timersPendingMax() + " timers pending", false);
            return false;
        }
        long delay = (long) Math.min(Math.max(delayMillis, 0), Integer.MAX_VALUE);
        session.loop().schedule(id, delay, repeat);
        return true;
    }

    /**
     * The module's function, or a string: the SyntaxError message of a module that must not run
     * (an import call, or text the check cannot parse), which the framework throws from require.
     */
    private Object compile(String path) {
        String wrapped = GuestScripts.moduleText(session.fileText(path));
        String refusal = DynamicImports.refusal(path, wrapped);
        if (refusal != null) {
            session.audit(MODULE_AUDIT_ACTION, "denied", refusal); // a denial like any other: code from strings was attempted
            return refusal;
        }
        return session.context().eval(Source.newBuilder("js", wrapped, path).mimeType("application/javascript").buildLiteral());
    }

    /**
     * Decides a setData before the framework changes anything: the change's size and the depth of the
     * page data it would produce (null texts: the framework found it deeper than {@link #DATA_DEPTH_MAX}).
     * A breach is a setData violation, the same in both tiers: the event stops and the data stays as it
     * was. Otherwise the page's new data is reported and the framework commits it.
     */
    /** A page's data when it is created: reported as its route's data, and to the view it renders in. */
    private void dataChanged(int id, String route, String dataJson) {
        session.emit(new RuntimeEvent.Data(route, dataJson));
        session.sessionView().dataReported(id, dataJson);
    }

    private boolean setData(int id, String route, String changeJson, String dataJson) {
        if (changeJson == null || dataJson == null) {
            session.requestStop(ViolationKind.SET_DATA, "setData would nest page data more than " + DATA_DEPTH_MAX + " levels deep", false);
            return false;
        }
        int bytes = changeJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > session.limits.setDataBytesMax()) {
            session.requestStop(ViolationKind.SET_DATA, "setData change of " + bytes + " bytes exceeds " + session.limits.setDataBytesMax(), false);
            return false;
        }
        if (session.navigator.isPage(id)) {
            session.emit(new RuntimeEvent.Data(route, dataJson)); // a component's data is its view's, not a page's
        }
        return true;
    }

    // ---- ProxyObject ----------------------------------------------------------------------------

    @Override
    public Object getMember(String key) {
        return members.get(key);
    }

    @Override
    public Object getMemberKeys() {
        return members.keySet().toArray(new String[0]);
    }

    @Override
    public boolean hasMember(String key) {
        return members.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("the host bridge is read-only");
    }
}
