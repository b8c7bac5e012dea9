package dev.capsule.runtime.internal.view;

import dev.capsule.core.json.StrictJson;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A session's WXS modules, run in a GraalJS context of their own: the same CONSTRAINED sandbox and
 * engine as the session's guest context, but nothing of the mini-program's logic layer is in it.
 * Templates call module exports through it ({@link #call}) and read their exported data ({@link #exports});
 * arguments, results and exported data cross as JSON text.
 *
 * <p>Security guarantees: a WXS module sees only WXS's globals: {@code getRegExp}, {@code getDate},
 * {@code require} of the package's {@code .wxs} files (nothing else), {@code module}/{@code exports},
 * and the language's built-ins minus {@code Date} (WXS has only {@code getDate}), the engine's host
 * globals and code from strings; no {@code wx}, no page, no host object. Each call runs under
 * {@code statementsPerCall} statements; a call past it, or one the watchdog cancels ({@link #cancel}),
 * closes the context (a fresh one is made for the next call) and is reported to the {@link Listener}.
 * A result deeper or larger than the session's JSON limits is undefined.
 */
public final class WxsContext implements AutoCloseable {
    /** Modules (inline and files) one session may define. */
    public static final int MODULES_MAX = 2_000;

    /** What the session hears of a failing call. */
    public interface Listener {
        /** A module threw, or its result is not data: the template sees undefined. */
        void failed(String message);

        /** A call ran out of its budget or was cancelled; the session's current event is stopped. */
        void overBudget(String message);
    }

    /** WXS's globals over the engine's; returns {define, call}. Bootstrap text is Capsule's, run before any module. */
    private static final String BOOTSTRAP = """
            (function () {
              'use strict';
              const g = globalThis;
              const parse = JSON.parse, stringify = JSON.stringify, apply = Reflect.apply, create = Object.create;
              const DateCtor = Date, RegExpCtor = RegExp, hasOwn = Object.hasOwn;
              for (const name of ['Date', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'arguments', 'Graal', 'Polyglot', 'Java',
                  'Packages', 'print', 'load', 'console', 'Proxy', 'Reflect', 'globalThis', 'eval']) {
                try { delete g[name]; } catch (e) { /* not configurable: left as the sandbox made it */ }
              }
              const getDate = function getDate() {
                const a = arguments;
                switch (a.length) {
                  case 0: return new DateCtor();
                  case 1: return new DateCtor(a[0]);
                  default: return new DateCtor(a[0], a[1], a[2] === undefined ? 1 : a[2], a[3] || 0, a[4] || 0, a[5] || 0, a[6] || 0);
                }
              };
              const getRegExp = function getRegExp(pattern, flags) { return new RegExpCtor(pattern, flags === undefined ? '' : flags); };
              const factories = create(null), loaded = create(null), snapshots = create(null);
              function dirOf(path) { const i = path.lastIndexOf('/'); return i < 0 ? '' : path.slice(0, i + 1); }
              function resolve(from, request) {
                if (typeof request !== 'string' || request.slice(-4) !== '.wxs') throw new Error('require() takes a .wxs path');
                const parts = [];
                const joined = request.charAt(0) === '/' ? request.slice(1) : dirOf(from) + request;
                for (const seg of joined.split('/')) {
                  if (seg === '' || seg === '.') continue;
                  if (seg === '..') { if (parts.length === 0) throw new Error('require() outside the package: ' + request); parts.pop(); }
                  else parts.push(seg);
                }
                return parts.join('/');
              }
              function load(key) {
                if (hasOwn(loaded, key)) return loaded[key].exports;
                const factory = factories[key];
                if (factory === undefined) throw new Error('no WXS module ' + key);
                const module = { exports: {} };
                loaded[key] = module;
                const file = factory.file;
                apply(factory.fn, undefined, [module, module.exports, function require(request) { return load(resolve(file, request)); }, getRegExp, getDate]);
                // The exported data as it is when the module has loaded (what {{m.name}} reads); functions drop out.
                try { snapshots[key] = { json: stringify(module.exports) }; } catch (e) { snapshots[key] = { error: e }; }
                return module.exports;
              }
              return {
                define(key, file, fn) { factories[key] = { file, fn }; },
                call(key, name, argsJson) {
                  // name is a dotted path of own properties (m.obj.fn(x) is 'obj.fn'); `this` is undefined, as glass-easel calls
                  let fn = load(key);
                  for (const part of name.split('.')) {
                    fn = fn !== null && (typeof fn === 'object' || typeof fn === 'function') && hasOwn(fn, part) ? fn[part] : undefined;
                  }
                  if (typeof fn !== 'function') return undefined;
                  const result = apply(fn, undefined, parse(argsJson));
                  return result === undefined || typeof result === 'function' ? undefined : stringify(result);
                },
                exports(key) {
                  load(key);
                  const snapshot = snapshots[key];
                  if (snapshot === undefined) return undefined; // its first load threw (reported then)
                  if (hasOwn(snapshot, 'error')) throw snapshot.error;
                  return snapshot.json;
                }
              };
            })()""";

    private final Engine engine;
    private final Map<String, String> wxsFiles;
    private final long statementsPerCall;
    private final Listener listener;
    private final Set<String> defined = new HashSet<>();
    /** Each loaded module's exported data, as the context answered it (cleared with the context). */
    private final Map<String, JsonNode> exported = new HashMap<>();
    private volatile Context context;
    private Value modules;
    private volatile Context running;

    /**
     * @param wxsFiles the package's {@code .wxs} files by package path (what {@code require} may load)
     * @param statementsPerCall the statement budget of one call (the session's per-event budget)
     */
    public WxsContext(Engine engine, Map<String, String> wxsFiles, long statementsPerCall, Listener listener) {
        this.engine = engine;
        this.wxsFiles = Map.copyOf(wxsFiles);
        this.statementsPerCall = statementsPerCall;
        this.listener = listener;
    }

    /**
     * Calls {@code function} of the module {@code key} (a {@code .wxs} package path, or an inline
     * module's key given with its {@code inlineSource} and the file it sits in). Undefined
     * ({@code MissingNode}) when the module or export is missing, the call failed or its result is not data.
     */
    public JsonNode call(String key, String inlineFile, String inlineSource, String function, List<JsonNode> args) {
        try {
            ensure(key, inlineFile, inlineSource);
            if (modules == null || !defined.contains(key)) {
                return MissingNode.getInstance();
            }
            String argsJson = StrictJson.mapper().writeValueAsString(new ArrayList<>(args));
            context.resetLimits();
            running = context;
            Value result;
            try {
                result = modules.invokeMember("call", key, function, argsJson);
            } finally {
                running = null;
            }
            return result.isString() ? StrictJson.mapper().readTree(result.asString()) : MissingNode.getInstance();
        } catch (PolyglotException e) {
            if (e.isResourceExhausted() || e.isCancelled() || e.isInterrupted()) {
                discard();
                listener.overBudget("a WXS call to " + key + " " + function + "() ran more than " + statementsPerCall
                        + " statements or past the event's time");
            } else if (e.isGuestException() || e.isSyntaxError()) {
                listener.failed("WXS " + key + " " + function + "(): " + e.getMessage());
            } else {
                discard();
                listener.failed("WXS " + key + ": the context failed");
            }
            return MissingNode.getInstance();
        } catch (JacksonException e) {
            listener.failed("WXS " + key + " " + function + "() returned data past the session's limits");
            return MissingNode.getInstance();
        }
    }

    /**
     * The exported data of the module {@code key} (arguments as {@link #call}'s): a JSON snapshot of
     * {@code module.exports} taken when the module loaded, functions left out as {@code JSON.stringify} leaves
     * them (they stay callable through {@link #call} only). Undefined when the module is missing, failed to
     * load, exports a function, or its data is not JSON or past the session's JSON limits.
     */
    public JsonNode exports(String key, String inlineFile, String inlineSource) {
        JsonNode known = exported.get(key);
        if (known != null) {
            return known;
        }
        JsonNode value = MissingNode.getInstance();
        try {
            ensure(key, inlineFile, inlineSource);
            if (modules == null || !defined.contains(key)) {
                return value;
            }
            context.resetLimits();
            running = context;
            Value result;
            try {
                result = modules.invokeMember("exports", key);
            } finally {
                running = null;
            }
            value = result.isString() ? StrictJson.mapper().readTree(result.asString()) : MissingNode.getInstance();
        } catch (PolyglotException e) {
            if (e.isResourceExhausted() || e.isCancelled() || e.isInterrupted()) {
                discard();
                listener.overBudget("loading WXS " + key + " ran more than " + statementsPerCall + " statements or past the event's time");
                return value; // not remembered: the next context loads it again
            } else if (e.isGuestException() || e.isSyntaxError()) {
                listener.failed("WXS " + key + " exports: " + e.getMessage());
            } else {
                discard();
                listener.failed("WXS " + key + ": the context failed");
                return value;
            }
        } catch (JacksonException e) {
            listener.failed("WXS " + key + " exports data past the session's limits");
        }
        exported.put(key, value);
        return value;
    }

    /** Defines the module (and, on first use, every .wxs file of the package, so require finds them). */
    private void ensure(String key, String inlineFile, String inlineSource) {
        if (context == null) {
            context = Context.newBuilder("js")
                    .engine(engine)
                    .sandbox(SandboxPolicy.CONSTRAINED)
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    .timeZone(ZoneOffset.UTC)
                    .option("js.allow-eval", "false")
                    .option("js.console", "false")
                    .option("js.print", "false")
                    .option("js.load", "false")
                    .option("js.locale", "en-US")
                    .resourceLimits(ResourceLimits.newBuilder().statementLimit(statementsPerCall, null).build())
                    .build();
            modules = context.eval(Source.newBuilder("js", BOOTSTRAP, "capsule:wxs.js").buildLiteral());
            defined.clear();
            wxsFiles.forEach((path, source) -> {
                try {
                    define(path, source, path);
                } catch (PolyglotException e) {
                    listener.failed("WXS " + path + ": " + e.getMessage()); // the others still load
                }
            });
        }
        if (inlineSource != null && !defined.contains(key)) {
            define(key, inlineSource, inlineFile);
        }
    }

    private void define(String key, String source, String file) {
        if (defined.size() >= MODULES_MAX) {
            throw new IllegalStateException("more than " + MODULES_MAX + " WXS modules");
        }
        // Sloppy mode, as WXS is (ES5: assignments to undeclared names work); the wrapper shares the
        // module's first line, so error positions stay the module's own.
        String wrapped = "(function (module, exports, require, getRegExp, getDate) {" + source + "\n})";
        context.resetLimits();
        Value fn = context.eval(Source.newBuilder("js", wrapped, key).buildLiteral());
        modules.invokeMember("define", key, file, fn);
        defined.add(key);
    }

    /** The watchdog's stop: cancels a running call (the session's event is over its time); nothing if none runs. */
    public void cancel() {
        Context c = running;
        if (c != null) {
            c.close(true);
        }
    }

    private void discard() {
        Context c = context;
        context = null;
        modules = null;
        defined.clear();
        exported.clear();
        if (c != null) {
            try {
                c.close(true);
            } catch (RuntimeException e) {
                // already closed by the cancel
            }
        }
    }

    @Override
    public void close() {
        cancel();
        discard();
    }
}
