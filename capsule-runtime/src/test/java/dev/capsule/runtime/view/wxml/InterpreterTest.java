package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The interpreter gives what JavaScript gives: each expression of the table is evaluated by the
 * interpreter and by GraalJS over the same data, and both results must match (type and text).
 */
class InterpreterTest {
    private static final JsonNode DATA = StrictJson.mapper().readTree("""
            {"a": 1, "b": 2, "s": "str", "n": null, "arr": [1, 2, 3], "obj": {"x": 1, "y": "2"}, "t": true, "f": false,
             "z": 0, "e": "", "frac": 0.1, "neg": -5, "numstr": " 12 ", "hex": "0x1f", "bin": "0b101", "word": "abc",
             "nested": {"list": [{"id": 7, "name": "seven"}]}, "empty": [], "one": [5], "pair": [1, 2], "big": 4294967296,
             "emptyObj": {}, "uni": "中文", "nanstr": "12px", "inf": "Infinity", "exp": "1e3"}
            """);
    private static final WxsCaller NO_WXS = (m, f, args) -> MissingNode.getInstance();
    private static JsOracle js;

    @BeforeAll
    static void startJs() {
        js = new JsOracle();
    }

    @AfterAll
    static void stopJs() {
        js.close();
    }

    private static JsonNode eval(String expr, JsonNode data, WxsCaller wxs) throws WxmlException {
        return Interpreter.eval(ExprParser.parse(expr), Scope.of(data, wxs));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // + : concatenation when either side is a string (after ToPrimitive), else addition
        "a + b", "a + s", "s + a", "a + '1'", "'1' + a", "t + 1", "n + 1", "n + 's'", "arr + 1", "arr + arr", "obj + 1",
        "empty + 1", "one + 1", "t + t", "f + 's'", "1 + 2 + '3'", "'1' + 2 + 3", "frac + 0.2", "undefined + 1",
        "undefined + 's'", "obj + ''", "[] + {}", "[1,[2,3]] + ''", "[null, undefined, 1] + ''",
        // arithmetic and conversions
        "s - 1", "numstr * 2", "hex - 0", "bin * 1", "e * 1", "n * 3", "t * 3", "arr * 1", "one * 2", "empty * 2",
        "nanstr * 1", "inf * 1", "exp * 1", "'  \\n 7 \\t' * 1", "'-0x10' * 1", "'+5' * 1", "'.5' - 0", "'5.' - 0",
        "1 / 0", "-1 / 0", "0 / 0", "7 % 3", "-7 % 3", "7 % -3", "5.5 % 2", "1 % 0", "-0", "0 * -1", "2 * 3 - 4 / 8",
        "+s", "+e", "+n", "+arr", "+one", "+t", "-t", "+'3'", "-'3'", "- -'3'",
        // comparisons
        "a < b", "b < a", "'a' < 'b'", "'B' < 'a'", "'10' < '9'", "'10' < 9", "10 < '9'", "n < 1", "undefined < 1",
        "s < 1", "s >= 1", "arr < 2", "one < 6", "a <= 1", "a >= 1", "'abc' <= 'abd'", "t > f", "n >= 0", "n <= 0",
        "undefined >= undefined", "obj > 1", "'a' > 'A'",
        // equality
        "1 == '1'", "1 === '1'", "0 == ''", "0 == '0'", "'' == '0'", "n == undefined", "n === undefined", "n == 0",
        "undefined == 0", "t == 1", "t == '1'", "f == ''", "f == '0'", "f == n", "arr == '1,2,3'", "one == 5",
        "obj == '[object Object]'", "arr == arr", "arr === arr", "obj === obj", "[] == []", "{} == {}",
        "arr != arr", "1 != '1'", "1 !== '1'", "0 / 0 == 0 / 0", "-0 === 0", "e == 0", "one == '5'", "s == 'str'",
        // logical and nullish
        "a && b", "z && b", "a || b", "z || b", "e || 'd'", "n ?? 'd'", "z ?? 'd'", "e ?? 'd'", "undefined ?? 'd'",
        "f ?? 'd'", "!a", "!z", "!e", "!s", "!arr", "!empty", "!emptyObj", "!n", "!!s", "!undefined",
        "a && s || n", "(z || n) ?? 'x'",
        // bitwise and shifts on int32
        "5 & 3", "5 | 3", "5 ^ 3", "~5", "~-1", "~s", "~numstr", "big | 0", "big + 1 | 0", "-1 >>> 0", "-1 >>> 28",
        "1 << 31", "1 << 32", "1 << 33", "-16 >> 2", "-16 >>> 2", "2147483648 | 0", "3.7 | 0", "-3.7 | 0", "1e21 | 0",
        "'7' & 3", "t << 4", "n | 5", "arr | 0", "one | 0", "0x7fffffff + 1 | 0",
        // typeof and void
        "typeof a", "typeof s", "typeof n", "typeof arr", "typeof obj", "typeof t", "typeof undefined", "typeof nope",
        "typeof typeof a", "void a", "void 0 === undefined",
        // members, indices, literals
        "obj.x", "obj['y']", "arr[0]", "arr['1']", "arr[1.0]", "arr[3]", "arr[-1]", "arr.length", "s.length", "s[1]",
        "uni.length", "uni[0]", "nested.list[0].name", "nested['list'][0]['id'] + 1", "obj[s]", "arr[arr[0]]",
        "[1, 2, ...arr]", "[...s]", "[...uni]", "[...empty, ...one]", "[1, , 2]", "[1, , 2].length", "{x: 1, ...obj}",
        "{...obj, x: 9}", "{...arr}", "{...s}", "{...n, a}", "{a, b}.b", "[a, b][1]", "[a][0] === a", "[[1,2],[3]]",
        "{k: [1, {m: 's'}]}", "t ? 'yes' : 'no'", "e ? 1 : 2", "a ? b ? 'x' : 'y' : 'z'", "(a, 2)",
        // numbers print as JavaScript prints them
        "0.1 + 0.2", "1e21", "1e20", "123456789012345680000", "1e-7", "0.000001", "1.5e-10", "5e-324",
        "1.7976931348623157e308", "-1e-7", "100 / 3", "2 / 3 * 3", "1 / 3", "0x10", "017", "1e300 * 1e10",
        "-(1 / 0)", "9007199254740993", "4294967295 + 1", "0.1 * 3", "1e21 + 1", "-0.0000001234",
    })
    void matchesJavaScript(String expr) throws WxmlException {
        if (expr.equals("(a, 2)")) {
            // the comma operator is not in the grammar; ( a, 2 ) is refused like any other syntax error
            assertThatThrownBy(() -> ExprParser.parse(expr)).isInstanceOf(WxmlException.class);
            return;
        }
        assertThat(JsOracle.describe(eval(expr, DATA, NO_WXS))).as(expr).isEqualTo(js.eval(expr, DATA));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nope", "nope.deeper.still", "n.x", "n[0]", "obj.nope.x", "arr[9].x", "s.x.y", "a.b.c",
        "nested.list[5].name", "undefined.x", "t.x", "z[0]"})
    void missingPathsAreUndefinedNeverAnError(String expr) throws WxmlException {
        JsonNode v = eval(expr, DATA, NO_WXS);
        assertThat(v.isMissingNode()).as(expr).isTrue();
        assertThat(JsValues.toText(v)).isEmpty();
    }

    @Test
    void undefinedAndNullRenderAsEmptyTextOtherValuesAsJavaScriptStrings() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(JsValues.toText(MissingNode.getInstance())).isEmpty();
        assertThat(JsValues.toText(f.nullNode())).isEmpty();
        assertThat(JsValues.toJsString(MissingNode.getInstance())).isEqualTo("undefined");
        assertThat(JsValues.toJsString(f.nullNode())).isEqualTo("null");
        assertThat(JsValues.toText(f.numberNode(1e21))).isEqualTo("1e+21");
        assertThat(JsValues.toText(f.numberNode(-0.0))).isEqualTo("0");
        assertThat(JsValues.toText(DATA.get("obj"))).isEqualTo("[object Object]");
        assertThat(JsValues.toText(DATA.get("arr"))).isEqualTo("1,2,3");
    }

    @Test
    void callsGoOnlyToTheWxsCallerWithEvaluatedArguments() throws WxmlException {
        List<String> calls = new ArrayList<>();
        WxsCaller wxs = (module, function, args) -> {
            calls.add(module + "." + function + args);
            return JsonNodeFactory.instance.stringNode("r");
        };
        assertThat(eval("m.fmt(a + 1, s).length", DATA, wxs).intValue()).isEqualTo(1);
        assertThat(calls).containsExactly("m.fmt[2, \"str\"]");
    }

    @Test
    void aWxsCallerAnsweringNullIsUndefined() throws WxmlException {
        assertThat(eval("m.f()", DATA, (m, f, args) -> null).isMissingNode()).isTrue();
    }

    @Test
    void orAndNullishShareOneLevelLeftToRightAsGlassEasel() throws WxmlException {
        // JavaScript refuses to mix them unparenthesized; glass-easel reads them left to right
        assertThat(eval("z || n ?? 'x'", DATA, NO_WXS).stringValue()).isEqualTo("x");
        assertThat(eval("n ?? z || 'y'", DATA, NO_WXS).stringValue()).isEqualTo("y");
    }

    @Test
    void anUndefinedArrayElementIsKeptAsNullSinceJsonHasNoUndefined() throws WxmlException {
        assertThat(eval("[1, , undefined, 2]", DATA, NO_WXS).toString()).isEqualTo("[1,null,null,2]");
        assertThat(eval("[1, , 2].length", DATA, NO_WXS).intValue()).isEqualTo(3);
    }

    @Test
    void shortCircuitSkipsTheOtherSide() throws WxmlException {
        List<String> calls = new ArrayList<>();
        WxsCaller wxs = (m, f, args) -> {
            calls.add(f);
            return JsonNodeFactory.instance.booleanNode(true);
        };
        eval("z && m.and()", DATA, wxs);
        eval("a || m.or()", DATA, wxs);
        eval("a ?? m.nullish()", DATA, wxs);
        eval("t ? m.then() : m.otherwise()", DATA, wxs);
        assertThat(calls).containsExactly("then");
    }

    @Test
    void scopesShadowOuterNames() throws WxmlException {
        Scope root = Scope.of(DATA, NO_WXS);
        Scope loop = root.with(Map.of("a", JsonNodeFactory.instance.stringNode("inner"), "item", DATA.get("obj")));
        assertThat(Interpreter.eval(ExprParser.parse("a + item.x + b"), loop).stringValue()).isEqualTo("inner12");
        assertThat(Interpreter.eval(ExprParser.parse("a"), root).intValue()).isEqualTo(1);
    }

    @Test
    void spreadingWhatIsNotIterableContributesNothing() throws WxmlException {
        assertThat(eval("[...n, ...nope, ...a, 1]", DATA, NO_WXS).toString()).isEqualTo("[1]");
    }

    @Test
    void stepsAreBounded() {
        ObjectNode wide = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 9_000; i++) {
            wide.put("k" + i, i);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().set("o", wide);
        String expr = "{" + String.join(", ", java.util.Collections.nCopies(12, "...o")) + "}";
        assertThatThrownBy(() -> eval(expr, data, NO_WXS)).isInstanceOf(EvalLimitException.class)
                .hasMessageContaining(Integer.toString(Interpreter.EVAL_STEPS_MAX));
    }

    @Test
    void theSameWorkUnderTheStepBoundSucceeds() throws WxmlException {
        ObjectNode wide = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 9_000; i++) {
            wide.put("k" + i, i);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().set("o", wide);
        assertThat(eval("{...o, ...o}", data, NO_WXS).size()).isEqualTo(9_000);
    }

    @Test
    void stringsAreBounded() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("s", "x".repeat(Interpreter.STRING_CHARS_MAX / 2 + 1));
        assertThatThrownBy(() -> eval("s + s", data, NO_WXS)).isInstanceOf(EvalLimitException.class);
    }

    @Test
    void stringsAtTheBoundAreBuilt() throws WxmlException {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("s", "x".repeat(Interpreter.STRING_CHARS_MAX / 2));
        assertThat(eval("s + s", data, NO_WXS).stringValue()).hasSize(Interpreter.STRING_CHARS_MAX);
    }

    @Test
    void collectionsAreBounded() {
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < Interpreter.COLLECTION_ENTRIES_MAX / 2 + 1; i++) {
            big.add(i);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().set("l", big);
        assertThatThrownBy(() -> eval("[...l, ...l]", data, NO_WXS)).isInstanceOf(EvalLimitException.class)
                .hasMessageContaining(Integer.toString(Interpreter.COLLECTION_ENTRIES_MAX));
    }

    @Test
    void deeplyNestedDataIsBoundedWhenConvertedToText() {
        ArrayNode deep = JsonNodeFactory.instance.arrayNode();
        ArrayNode cur = deep;
        for (int i = 0; i < JsValues.NESTING_MAX + 5; i++) {
            ArrayNode next = JsonNodeFactory.instance.arrayNode();
            cur.add(next);
            cur = next;
        }
        assertThatThrownBy(() -> JsValues.toText(deep)).isInstanceOf(EvalLimitException.class);
    }
}
