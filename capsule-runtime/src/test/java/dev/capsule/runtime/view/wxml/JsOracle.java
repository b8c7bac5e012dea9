package dev.capsule.runtime.view.wxml;

import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import tools.jackson.databind.JsonNode;

/**
 * What JavaScript itself gives for an expression over the same data (GraalJS, the engine Capsule runs
 * guest code in), rendered as {@code typeof:text} by {@link #describe}'s rules on both sides.
 */
final class JsOracle implements AutoCloseable {
    private final Context context;

    JsOracle() {
        context = Context.newBuilder("js").engine(Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()).build();
        context.eval("js", """
                function __num(n) { return String(n); }
                function __json(v) {
                  if (v === undefined || v === null) return String(v);
                  if (Array.isArray(v)) return '[' + Array.from(v, e => e === undefined ? 'null' : __json(e)).join(',') + ']';
                  if (typeof v === 'object') return '{' + Object.keys(v).filter(k => v[k] !== undefined)
                      .map(k => JSON.stringify(k) + ':' + __json(v[k])).join(',') + '}';
                  if (typeof v === 'string') return JSON.stringify(v);
                  return String(v);
                }
                function __describe(v) { return typeof v + ':' + (typeof v === 'object' && v !== null ? __json(v) : String(v)); }
                """);
    }

    /** {@code typeof:String(v)} for primitives, {@code object:json} for arrays and objects (numbers as JS prints them). */
    String eval(String expr, JsonNode data) {
        String script = "(function(){ var __d = " + data.toString() + "; with (__d) { return __describe((" + expr + ")); } })()";
        return context.eval("js", script).asString();
    }

    static String describe(JsonNode v) {
        String type = JsValues.typeOf(v);
        return type + ":" + (type.equals("object") && !v.isNull() ? json(v) : JsValues.toJsString(v));
    }

    private static String json(JsonNode v) {
        if (v.isNull() || v.isMissingNode()) {
            return "null";
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                sb.append(i > 0 ? "," : "").append(json(v.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                sb.append(first ? "" : ",").append(IrText.quote(e.getKey())).append(':').append(json(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        if (v.isString()) {
            return IrText.quote(v.stringValue());
        }
        return JsValues.toJsString(v);
    }

    @Override
    public void close() {
        context.close(true);
    }
}
