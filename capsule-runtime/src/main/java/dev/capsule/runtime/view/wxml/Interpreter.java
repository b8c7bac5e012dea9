package dev.capsule.runtime.view.wxml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evaluates {@link Expr} with JavaScript's semantics over JSON values ({@code MissingNode} is
 * {@code undefined}).
 *
 * <p>Security guarantees: evaluation runs no guest code but WXS calls through the scope's
 * {@link WxsCaller}; it takes at most {@link #EVAL_STEPS_MAX} steps and builds no string longer than
 * {@link #STRING_CHARS_MAX} characters and no array or object larger than {@link #COLLECTION_ENTRIES_MAX}
 * entries; a breach is an {@link EvalLimitException}. A missing path (a property of undefined or null,
 * a name not in scope) is {@code undefined}, never an error, as real apps depend on. Where JavaScript
 * would throw a TypeError (spreading undefined into an array), the value contributes nothing instead.
 */
public final class Interpreter {
    /** Steps (nodes visited plus elements copied by spreads) of one {@link #eval}. */
    public static final int EVAL_STEPS_MAX = 100_000;
    /** Characters of any string one evaluation builds. */
    public static final int STRING_CHARS_MAX = 1 << 20;
    /** Entries of an array or object one evaluation builds. */
    public static final int COLLECTION_ENTRIES_MAX = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Scope scope;
    private int steps;

    private Interpreter(Scope scope) {
        this.scope = scope;
    }

    /** Evaluates an expression in a scope. */
    public static JsonNode eval(Expr expr, Scope scope) {
        return new Interpreter(scope).run(expr);
    }

    private void step(int n) {
        steps += n;
        if (steps > EVAL_STEPS_MAX) {
            throw new EvalLimitException("an expression took more than " + EVAL_STEPS_MAX + " steps");
        }
    }

    private JsonNode run(Expr expr) {
        step(1);
        return switch (expr) {
            case Expr.Undefined u -> JsValues.undefined();
            case Expr.Null n -> NODES.nullNode();
            case Expr.Bool(boolean b) -> JsValues.bool(b);
            case Expr.Num(double d) -> JsValues.number(d);
            case Expr.Str(String s) -> JsValues.string(s);
            case Expr.Name(String name) -> orUndefined(scope.lookup(name));
            case Expr.Member(Expr object, String name) -> property(run(object), name);
            case Expr.Index(Expr object, Expr key) -> {
                JsonNode obj = run(object);
                JsonNode k = run(key);
                yield property(obj, k.isString() ? k.stringValue() : JsValues.toJsString(k));
            }
            case Expr.WxsCall(String module, String function, List<Expr> args) -> {
                List<JsonNode> values = new ArrayList<>(args.size());
                for (Expr a : args) {
                    values.add(run(a));
                }
                yield orUndefined(scope.wxs().call(module, function, List.copyOf(values)));
            }
            case Expr.Unary(Expr.UnaryOp op, Expr operand) -> unary(op, run(operand));
            case Expr.Binary(Expr.BinaryOp op, Expr left, Expr right) -> binary(op, left, right);
            case Expr.Conditional(Expr test, Expr then, Expr otherwise) -> JsValues.truthy(run(test)) ? run(then) : run(otherwise);
            case Expr.ArrayLit(List<Expr.ArrayItem> items) -> array(items);
            case Expr.ObjectLit(List<Expr.ObjectItem> items) -> object(items);
        };
    }

    private static JsonNode orUndefined(JsonNode v) {
        return v == null ? MissingNode.getInstance() : v;
    }

    /** {@code value[key]} for JSON values: own properties, array indices and {@code length}. */
    static JsonNode property(JsonNode value, String key) {
        if (value.isObject()) {
            return orUndefined(value.get(key));
        }
        if (value.isArray()) {
            if (key.equals("length")) {
                return JsValues.number(value.size());
            }
            int i = arrayIndex(key);
            return i >= 0 && i < value.size() ? value.get(i) : MissingNode.getInstance();
        }
        if (value.isString()) {
            String s = value.stringValue();
            if (key.equals("length")) {
                return JsValues.number(s.length());
            }
            int i = arrayIndex(key);
            return i >= 0 && i < s.length() ? NODES.stringNode(String.valueOf(s.charAt(i))) : MissingNode.getInstance();
        }
        return MissingNode.getInstance();
    }

    /** A canonical array index ("0", "12"; not "01", "1.0", "-1"), or -1. */
    private static int arrayIndex(String key) {
        int n = key.length();
        if (n == 0 || n > 9 || (n > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private JsonNode unary(Expr.UnaryOp op, JsonNode v) {
        return switch (op) {
            case NOT -> JsValues.bool(!JsValues.truthy(v));
            case BIT_NOT -> JsValues.number(~JsValues.toInt32(v));
            case PLUS -> JsValues.number(JsValues.toNumber(v));
            case MINUS -> JsValues.number(-JsValues.toNumber(v));
            case TYPEOF -> NODES.stringNode(JsValues.typeOf(v));
            case VOID -> MissingNode.getInstance();
        };
    }

    private JsonNode binary(Expr.BinaryOp op, Expr leftExpr, Expr rightExpr) {
        JsonNode l = run(leftExpr);
        switch (op) {
            case AND -> {
                return JsValues.truthy(l) ? run(rightExpr) : l;
            }
            case OR -> {
                return JsValues.truthy(l) ? l : run(rightExpr);
            }
            case NULLISH -> {
                return l.isMissingNode() || l.isNull() ? run(rightExpr) : l;
            }
            default -> {
            }
        }
        JsonNode r = run(rightExpr);
        return switch (op) {
            case ADD -> JsValues.add(l, r);
            case SUB -> JsValues.number(JsValues.toNumber(l) - JsValues.toNumber(r));
            case MUL -> JsValues.number(JsValues.toNumber(l) * JsValues.toNumber(r));
            case DIV -> JsValues.number(JsValues.toNumber(l) / JsValues.toNumber(r));
            case REM -> JsValues.number(JsValues.toNumber(l) % JsValues.toNumber(r));
            case SHL -> JsValues.number(JsValues.toInt32(l) << (JsValues.toUint32(JsValues.toNumber(r)) & 31));
            case SHR -> JsValues.number(JsValues.toInt32(l) >> (JsValues.toUint32(JsValues.toNumber(r)) & 31));
            case USHR -> JsValues.number(JsValues.toUint32(JsValues.toNumber(l)) >>> (JsValues.toUint32(JsValues.toNumber(r)) & 31));
            case BIT_AND -> JsValues.number(JsValues.toInt32(l) & JsValues.toInt32(r));
            case BIT_OR -> JsValues.number(JsValues.toInt32(l) | JsValues.toInt32(r));
            case BIT_XOR -> JsValues.number(JsValues.toInt32(l) ^ JsValues.toInt32(r));
            case LT -> JsValues.bool(less(l, r, false));
            case GT -> JsValues.bool(less(r, l, false));
            case LE -> JsValues.bool(less(r, l, true));
            case GE -> JsValues.bool(less(l, r, true));
            case EQ -> JsValues.bool(JsValues.looseEquals(l, r));
            case NE -> JsValues.bool(!JsValues.looseEquals(l, r));
            case STRICT_EQ -> JsValues.bool(JsValues.strictEquals(l, r));
            case STRICT_NE -> JsValues.bool(!JsValues.strictEquals(l, r));
            case AND, OR, NULLISH -> throw new IllegalStateException("short-circuit operators are handled above");
        };
    }

    /**
     * JavaScript's abstract relational comparison {@code a < b}; with {@code negate} it answers
     * {@code !(a < b)} except that a NaN operand answers false (how {@code >=} and {@code <=} are defined).
     */
    private static boolean less(JsonNode a, JsonNode b, boolean negate) {
        JsonNode pa = JsValues.toPrimitive(a);
        JsonNode pb = JsValues.toPrimitive(b);
        if (pa.isString() && pb.isString()) {
            boolean lt = pa.stringValue().compareTo(pb.stringValue()) < 0;
            return negate != lt;
        }
        double x = JsValues.toNumber(pa);
        double y = JsValues.toNumber(pb);
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return false;
        }
        return negate != (x < y);
    }

    private JsonNode array(List<Expr.ArrayItem> items) {
        ArrayNode out = NODES.arrayNode();
        for (Expr.ArrayItem item : items) {
            switch (item) {
                case Expr.Item(Expr value) -> addEntry(out, run(value));
                case Expr.Hole h -> addEntry(out, MissingNode.getInstance());
                case Expr.SpreadItem(Expr value) -> {
                    JsonNode v = run(value);
                    if (v.isArray()) {
                        for (JsonNode e : v) {
                            step(1);
                            addEntry(out, e);
                        }
                    } else if (v.isString()) {
                        v.stringValue().codePoints().forEach(cp -> {
                            step(1);
                            addEntry(out, NODES.stringNode(Character.toString(cp)));
                        });
                    }
                }
            }
        }
        return out;
    }

    private static void addEntry(ArrayNode out, JsonNode v) {
        if (out.size() >= COLLECTION_ENTRIES_MAX) {
            throw new EvalLimitException("an array would exceed " + COLLECTION_ENTRIES_MAX + " entries");
        }
        // JSON holds no undefined; an undefined element is kept as null so indices stay where JS has them.
        out.add(v.isMissingNode() ? NODES.nullNode() : v);
    }

    private JsonNode object(List<Expr.ObjectItem> items) {
        ObjectNode out = NODES.objectNode();
        for (Expr.ObjectItem item : items) {
            switch (item) {
                case Expr.Prop(String key, Expr value) -> putEntry(out, key, run(value));
                case Expr.SpreadProp(Expr value) -> {
                    JsonNode v = run(value);
                    if (v.isObject()) {
                        for (Map.Entry<String, JsonNode> e : v.properties()) {
                            step(1);
                            putEntry(out, e.getKey(), e.getValue());
                        }
                    } else if (v.isArray()) {
                        for (int i = 0; i < v.size(); i++) {
                            step(1);
                            putEntry(out, Integer.toString(i), v.get(i));
                        }
                    } else if (v.isString()) {
                        String s = v.stringValue();
                        for (int i = 0; i < s.length(); i++) {
                            step(1);
                            putEntry(out, Integer.toString(i), NODES.stringNode(String.valueOf(s.charAt(i))));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void putEntry(ObjectNode out, String key, JsonNode v) {
        if (v.isMissingNode()) {
            // JSON holds no undefined: a property whose value is undefined is absent, which reads the same.
            out.remove(key);
            return;
        }
        if (out.size() >= COLLECTION_ENTRIES_MAX && !out.has(key)) {
            throw new EvalLimitException("an object would exceed " + COLLECTION_ENTRIES_MAX + " entries");
        }
        out.set(key, v);
    }
}
