package dev.capsule.runtime.view.wxml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * JavaScript's value semantics over JSON values: {@code MissingNode} is {@code undefined}, numbers are
 * doubles, arrays and objects compare by identity as JavaScript's references do. The one place template
 * code converts, compares and adds values. Conversions to text are bounded: a result longer than
 * {@link Interpreter#STRING_CHARS_MAX} or a value nested deeper than {@link #NESTING_MAX} is an
 * {@link EvalLimitException}.
 */
public final class JsValues {
    /** Nesting of arrays a conversion to text walks (JSON from setData is far shallower). */
    public static final int NESTING_MAX = 256;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(Infinity|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)");
    private static final Pattern RADIX = Pattern.compile("0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)");

    private JsValues() {
    }

    /** The text WeChat renders for a value: undefined and null → "", everything else as JS {@code String(value)}. */
    public static String toText(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "" : toJsString(value);
    }

    /** JavaScript's {@code String(value)} (undefined → "undefined", null → "null", arrays joined with ","). */
    public static String toJsString(JsonNode value) {
        StringBuilder sb = new StringBuilder();
        appendString(sb, value, 0);
        return sb.toString();
    }

    private static void appendString(StringBuilder sb, JsonNode value, int depth) {
        if (value.isMissingNode()) {
            sb.append("undefined");
        } else if (value.isNull()) {
            sb.append("null");
        } else if (value.isBoolean()) {
            sb.append(value.booleanValue());
        } else if (value.isNumber()) {
            sb.append(numberToString(value.doubleValue()));
        } else if (value.isString()) {
            sb.append(value.stringValue());
        } else if (value.isArray()) {
            if (depth >= NESTING_MAX) {
                throw new EvalLimitException("a value nests deeper than " + NESTING_MAX);
            }
            boolean first = true;
            for (JsonNode e : value) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (!e.isMissingNode() && !e.isNull()) {
                    appendString(sb, e, depth + 1);
                }
                checkLength(sb.length());
            }
        } else {
            sb.append("[object Object]");
        }
        checkLength(sb.length());
    }

    static void checkLength(long length) {
        if (length > Interpreter.STRING_CHARS_MAX) {
            throw new EvalLimitException("a string would exceed " + Interpreter.STRING_CHARS_MAX + " characters");
        }
    }

    /** JavaScript's {@code Number(value)}. */
    public static double toNumber(JsonNode value) {
        if (value.isMissingNode()) {
            return Double.NaN;
        }
        if (value.isNull()) {
            return 0;
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isString()) {
            return stringToNumber(value.stringValue());
        }
        if (value.isArray()) {
            return stringToNumber(toJsString(value));
        }
        return Double.NaN;
    }

    private static double stringToNumber(String s) {
        String t = trimJs(s);
        if (t.isEmpty()) {
            return 0;
        }
        if (DECIMAL.matcher(t).matches()) {
            return switch (t) {
                case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(t);
            };
        }
        if (RADIX.matcher(t).matches()) {
            char r = Character.toLowerCase(t.charAt(1));
            return new BigInteger(t.substring(2), r == 'x' ? 16 : r == 'o' ? 8 : 2).doubleValue();
        }
        return Double.NaN;
    }

    /** JavaScript's white space and line terminators, as {@code String.prototype.trim} removes them. */
    private static boolean isJsSpace(char c) {
        return c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c == ' ' || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
                || c == 0x3000 || c == 0xfeff;
    }

    private static String trimJs(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isJsSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isJsSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** JavaScript's {@code String(n)} of a number (ECMAScript Number::toString, shortest round-trip digits). */
    public static String numberToString(double n) {
        if (Double.isNaN(n)) {
            return "NaN";
        }
        if (n == 0) {
            return "0";
        }
        if (Double.isInfinite(n)) {
            return n > 0 ? "Infinity" : "-Infinity";
        }
        String sign = n < 0 ? "-" : "";
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as JavaScript does.
        BigDecimal d = shortest(Math.abs(n));
        String digits = d.unscaledValue().toString();
        int k = digits.length();
        int e = k - d.scale(); // the decimal point sits after digit e
        StringBuilder sb = new StringBuilder(sign);
        if (k <= e && e <= 21) {
            sb.append(digits).append("0".repeat(e - k));
        } else if (0 < e && e <= 21) {
            sb.append(digits, 0, e).append('.').append(digits, e, k);
        } else if (-6 < e && e <= 0) {
            sb.append("0.").append("0".repeat(-e)).append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(e - 1 >= 0 ? "+" : "-").append(Math.abs(e - 1));
        }
        return sb.toString();
    }

    /**
     * The shortest decimal that reads back as {@code x} (positive, finite). {@code Double.toString} gives
     * it, except that it never answers with one significant digit (4.9E-324 where JavaScript says 5e-324):
     * then a one-digit neighbour that reads back is shorter, and JavaScript prints that one.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal two = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        if (two.precision() != 2) {
            return two;
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal best = null;
        for (java.math.RoundingMode mode : new java.math.RoundingMode[] {java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING}) {
            BigDecimal one = two.round(new java.math.MathContext(1, mode));
            if (one.doubleValue() == x && (best == null
                    || one.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = one;
            }
        }
        return best == null ? two : best.stripTrailingZeros();
    }

    /** JavaScript's ToBoolean. */
    public static boolean truthy(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (value.isString()) {
            return !value.stringValue().isEmpty();
        }
        return true;
    }

    private static boolean isObjectLike(JsonNode v) {
        return !(v.isMissingNode() || v.isNull() || v.isBoolean() || v.isNumber() || v.isString());
    }

    /** ToPrimitive: arrays and objects become their string; primitives stay. */
    static JsonNode toPrimitive(JsonNode v) {
        return isObjectLike(v) ? NODES.stringNode(toJsString(v)) : v;
    }

    /** JavaScript's {@code ==}. */
    public static boolean looseEquals(JsonNode a, JsonNode b) {
        String ta = typeOf(a);
        String tb = typeOf(b);
        if (ta.equals(tb) && a.isNull() == b.isNull()) {
            return strictEquals(a, b);
        }
        boolean aNullish = a.isMissingNode() || a.isNull();
        boolean bNullish = b.isMissingNode() || b.isNull();
        if (aNullish || bNullish) {
            return aNullish && bNullish;
        }
        if (a.isBoolean()) {
            return looseEquals(number(toNumber(a)), b);
        }
        if (b.isBoolean()) {
            return looseEquals(a, number(toNumber(b)));
        }
        if (a.isNumber() && b.isString() || a.isString() && b.isNumber()) {
            return toNumber(a) == toNumber(b);
        }
        if (isObjectLike(a) && !isObjectLike(b)) {
            return looseEquals(toPrimitive(a), b);
        }
        if (isObjectLike(b) && !isObjectLike(a)) {
            return looseEquals(a, toPrimitive(b));
        }
        return false;
    }

    /** JavaScript's {@code ===} (arrays and objects by identity, as JS compares references). */
    public static boolean strictEquals(JsonNode a, JsonNode b) {
        if (a.isMissingNode() || b.isMissingNode()) {
            return a.isMissingNode() && b.isMissingNode();
        }
        if (a.isNull() || b.isNull()) {
            return a.isNull() && b.isNull();
        }
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isString() && b.isString()) {
            return a.stringValue().equals(b.stringValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return a.booleanValue() == b.booleanValue();
        }
        return isObjectLike(a) && a == b;
    }

    /** JavaScript's {@code typeof}. */
    public static String typeOf(JsonNode value) {
        if (value.isMissingNode()) {
            return "undefined";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isString()) {
            return "string";
        }
        return "object";
    }

    /** JavaScript's binary {@code +}: string concatenation when either side is (or converts to) a string, else addition. */
    public static JsonNode add(JsonNode a, JsonNode b) {
        JsonNode pa = toPrimitive(a);
        JsonNode pb = toPrimitive(b);
        if (pa.isString() || pb.isString()) {
            String left = toJsString(pa);
            String right = toJsString(pb);
            checkLength((long) left.length() + right.length());
            return NODES.stringNode(left + right);
        }
        return number(toNumber(pa) + toNumber(pb));
    }

    /** A JSON value of a JavaScript number (integral values as integers, so JSON prints them as JS does). */
    public static JsonNode number(double n) {
        if (n == Math.rint(n) && Math.abs(n) <= 9.007199254740992E15 && !(n == 0 && 1 / n < 0)) {
            long l = (long) n;
            return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
        }
        return NODES.numberNode(n);
    }

    /** A JSON string value. */
    static JsonNode string(String s) {
        checkLength(s.length());
        return NODES.stringNode(s);
    }

    static JsonNode bool(boolean b) {
        return NODES.booleanNode(b);
    }

    static JsonNode undefined() {
        return MissingNode.getInstance();
    }

    /** JavaScript's ToInt32. */
    public static int toInt32(JsonNode value) {
        return toInt32(toNumber(value));
    }

    static int toInt32(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return 0;
        }
        double t = d < 0 ? Math.ceil(d) : Math.floor(d);
        double m = t % 4294967296.0;
        return (int) (long) m;
    }

    /** JavaScript's ToUint32, as a long. */
    static long toUint32(double d) {
        return toInt32(d) & 0xffffffffL;
    }
}
