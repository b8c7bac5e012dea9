package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.capsule.core.json.StrictJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Property tests with a seeded generator (reproducible: the failing input is in the message): for any
 * input the parsers throw nothing but {@link WxmlException} and the interpreter nothing but
 * {@link EvalLimitException}, and neither hangs; valid expressions evaluate as JavaScript does.
 */
class TemplateFuzzTest {
    private static final long SEED = 0x5eed_14L;
    private static final int CASES = 4_000;
    private static final JsonNode DATA = StrictJson.mapper().readTree("""
            {"a": 1, "b": -2.5, "s": "str", "n": null, "arr": [1, "x", [2]], "obj": {"x": 1, "y": "2", "z": {"w": true}},
             "t": true, "z": 0, "e": "", "list": [{"id": 1}, {"id": 2}]}
            """);
    private static final WxsCaller WXS = (m, f, args) -> args.isEmpty() ? JsonNodeFactory.instance.nullNode() : args.getFirst();

    private static final String[] WXML_PIECES = {
        "<view", "<text", "<block", "<slot", "<template", "<import", "<include", "<wxs", "</view>", "</text>", "</block>",
        "</wxs>", "</template>", ">", "/>", " ", "\n", "=", "\"", "'", "{{", "}}", "{{a}}", "{{ a > b ? 'x' : \"y\" }}",
        " wx:if=", " wx:elif=", " wx:else", " wx:for=", " wx:for-item=", " wx:for-index=", " wx:key=", " wx:bad=",
        " bindtap=", " bind:tap=", " catch:tap=", " capture-bind:tap=", " mut-bind:tap=", " mark:m=", " data-Foo-bar=",
        " class=", " style=", " id=", " hidden", " name=", " is=", " data=", " src=", " module=", "\"m\"", "\"t\"",
        "<!--", "-->", "&amp;", "&#x41;", "&#99999999;", "&lt", ";", "x", "中", "\uD800", "\u0000", "\u2028", "<", "</",
        "<!x", "*this", "item", "{{...o, a}}", "{{[1,,2]}}", "{{m.f(a)}}", "{{ {a: {b: 1}} }}", "a.wxml", "./a",
    };

    private static final String[] EXPR_PIECES = {
        "a", "b", "s", "n", "arr", "obj", "t", "z", "e", "list", "nope", "undefined", "null", "true", "false", "1", "0",
        "-1", "0x1f", "017", "08", ".5", "1e3", "1e-3", "1e+3", "'x'", "\"y\"", "'\\u0041'", "'\\x4", "'", "\"", "(", ")",
        "[", "]", "{", "}", ",", ":", "?", "?.", ".", "...", "+", "-", "*", "/", "%", "**", "<", ">", "<=", ">=", "==",
        "===", "!=", "!==", "&", "|", "^", "~", "!", "&&", "||", "??", "<<", ">>", ">>>", "typeof ", "void ",
        "instanceof ", "m.f(", "=", "=>", "`", "/*", "*/", " ", "x:", ".x", "[0]", ".length", "\u0000", "\uD800",
    };

    private static String randomText(Random r, String[] pieces, int maxPieces) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(maxPieces);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) == 0) {
                sb.append((char) r.nextInt(0x3000));
            } else {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
        }
        return sb.toString();
    }

    private static String mutate(Random r, String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && !sb.isEmpty(); i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, WXML_PIECES[r.nextInt(WXML_PIECES.length)]);
                default -> sb.setCharAt(at, (char) r.nextInt(128));
            }
        }
        return sb.toString();
    }

    private static final String VALID = """
            <import src="./common.wxml"/>
            <wxs module="m">module.exports = {};</wxs>
            <template name="t"><view>{{title}}</view></template>
            <view wx:for="{{list}}" wx:key="id" class="c {{item.id > 1 ? 'big' : ''}}" bindtap="tap" data-id="{{item.id}}">
              <text wx:if="{{index % 2}}">{{index}}: {{item.id}}</text>
              <text wx:else>{{m.f(item)}}</text>
              <template is="t" data="{{title: s}}"/>
            </view>
            """;

    /** Evaluates every expression in the nodes; only EvalLimitException may escape. */
    private static void evalAll(List<TNode> nodes, Scope scope) {
        for (TNode n : nodes) {
            switch (n) {
                case TElement e -> {
                    e.attrs().forEach(a -> evalBinding(a.value(), scope));
                    e.dataset().values().forEach(b -> evalBinding(b, scope));
                    e.marks().values().forEach(b -> evalBinding(b, scope));
                    e.events().forEach(ev -> evalBinding(ev.handler(), scope));
                    if (e.cls() != null) {
                        evalBinding(e.cls().value(), scope);
                    }
                    evalAll(e.children(), scope);
                }
                case TText t -> evalBinding(t.text(), scope);
                case TIf i -> i.branches().forEach(b -> {
                    if (b.cond() != null) {
                        JsValues.truthy(Interpreter.eval(b.cond(), scope));
                    }
                    evalAll(b.body(), scope);
                });
                case TFor f -> {
                    Interpreter.eval(f.items(), scope);
                    evalAll(f.body(), scope.with(Map.of(f.item(), DATA.get("obj"), f.index(), JsonNodeFactory.instance.numberNode(0))));
                }
                case TBlock b -> evalAll(b.children(), scope);
                case TTemplateUse u -> {
                    evalBinding(u.is(), scope);
                    if (u.data() != null) {
                        Interpreter.eval(u.data(), scope);
                    }
                }
                case TInclude i -> {
                }
                case TSlot s -> evalBinding(s.name(), scope);
            }
        }
    }

    private static void evalBinding(Binding b, Scope scope) {
        switch (b) {
            case Binding.Literal l -> {
            }
            case Binding.Single(Expr e) -> JsValues.toText(Interpreter.eval(e, scope));
            case Binding.Interpolated(List<Binding.Part> parts) -> parts.forEach(p -> {
                if (p instanceof Binding.ExprPart(Expr e)) {
                    JsValues.toText(Interpreter.eval(e, scope));
                }
            });
        }
    }

    @Test
    void wxmlParserThrowsOnlyWxmlExceptionAndNeverHangs() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(SEED);
            int parsed = 0;
            for (int i = 0; i < CASES; i++) {
                String input = i % 2 == 0 ? randomText(r, WXML_PIECES, 60) : mutate(r, VALID);
                try {
                    WxmlFile f = WxmlParser.parse("fuzz.wxml", input);
                    parsed++;
                    try {
                        evalAll(f.children(), Scope.of(DATA, WXS));
                        for (TemplateDef t : f.templates().values()) {
                            evalAll(t.children(), Scope.of(DATA, WXS));
                        }
                    } catch (EvalLimitException expected) {
                        // a bound, not a crash
                    }
                } catch (WxmlException expected) {
                    assertThat(expected.getMessage()).startsWith("fuzz.wxml:").doesNotContain("\n");
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("input #" + i + " " + IrText.quote(input) + " threw " + e, e);
                }
            }
            // the generator reaches the parser's success path too, not only its errors
            assertThat(parsed).isGreaterThan(CASES / 20);
        });
    }

    @Test
    void expressionParserAndInterpreterThrowOnlyTheirOwnErrorsAndNeverHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(SEED + 1);
            int evaluated = 0;
            for (int i = 0; i < CASES * 3; i++) {
                String input = randomText(r, EXPR_PIECES, 12);
                Expr e;
                try {
                    e = ExprParser.parse(input);
                } catch (WxmlException expected) {
                    assertThat(expected.getMessage()).startsWith("expression:");
                    continue;
                } catch (RuntimeException | StackOverflowError t) {
                    throw new AssertionError("input " + IrText.quote(input) + " threw " + t, t);
                }
                try {
                    JsValues.toText(Interpreter.eval(e, Scope.of(DATA, WXS)));
                    evaluated++;
                } catch (EvalLimitException expected) {
                    // a bound, not a crash
                } catch (RuntimeException | StackOverflowError t) {
                    throw new AssertionError("input " + IrText.quote(input) + " threw " + t, t);
                }
            }
            assertThat(evaluated).isGreaterThan(100);
        });
    }

    @Test
    void adversarialInputsAreRefusedOrParsedQuickly() {
        List<String> inputs = new ArrayList<>();
        int big = WxmlParser.FILE_CHARS_MAX - 16;
        inputs.add("{{".repeat(big / 2));
        inputs.add("{{a}}".repeat(big / 5));
        inputs.add("<view>".repeat(big / 6));
        inputs.add("<view/>".repeat(big / 7));
        inputs.add("&".repeat(big));
        inputs.add("&#x1;".repeat(big / 5));
        inputs.add("<view " + " a".repeat(big / 3));
        inputs.add("<wxs module=\"m\">" + "<".repeat(big / 2));
        inputs.add("<!--" + "-".repeat(big / 2));
        inputs.add("{{" + "(".repeat(big / 2));
        inputs.add("{{" + "!".repeat(big / 2) + "a}}");
        inputs.add("{{a" + " /* */".repeat(big / 7) + "}}");
        inputs.add("x".repeat(WxmlParser.FILE_CHARS_MAX + 1));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String input : inputs) {
                try {
                    WxmlParser.parse("big.wxml", input);
                } catch (WxmlException expected) {
                    assertThat(expected.getMessage()).startsWith("big.wxml:");
                }
            }
        });
    }

    /** Valid expressions from a small grammar evaluate as GraalJS evaluates them (where JavaScript does not throw). */
    @Test
    void generatedExpressionsMatchJavaScript() {
        Random r = new Random(SEED + 2);
        try (JsOracle js = new JsOracle()) {
            int compared = 0;
            for (int i = 0; i < 1_000; i++) {
                String expr = gen(r, 3);
                String expected;
                try {
                    expected = js.eval(expr, DATA);
                } catch (RuntimeException jsThrew) {
                    continue; // a TypeError in JavaScript (a property of undefined) is undefined in WeChat, tested elsewhere
                }
                String actual;
                try {
                    actual = JsOracle.describe(Interpreter.eval(ExprParser.parse(expr), Scope.of(DATA, WXS)));
                } catch (WxmlException e) {
                    throw new AssertionError(expr + " was refused: " + e.getMessage(), e);
                }
                assertThat(actual).as(expr).isEqualTo(expected);
                compared++;
            }
            assertThat(compared).isGreaterThan(600);
        }
    }

    private static final String[] LEAVES = {"a", "b", "s", "n", "arr", "obj", "t", "z", "e", "list", "obj.x", "obj.y",
        "obj.z.w", "arr[1]", "arr[2][0]", "list[1].id", "arr.length", "s.length", "s[0]", "undefined", "null", "true",
        "false", "0", "1", "2.5", "-0", "0x10", "'1'", "'abc'", "''", "' 3 '", "[]", "[1, 2]", "{}", "{p: 1}"};
    private static final String[] BINARY = {"+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "===", "!==",
        "&", "|", "^", "<<", ">>", ">>>", "&&", "||", "??"};
    private static final String[] UNARY = {"!", "~", "+", "-", "typeof ", "void "};

    private static String gen(Random r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return LEAVES[r.nextInt(LEAVES.length)];
        }
        return switch (r.nextInt(6)) {
            case 0 -> UNARY[r.nextInt(UNARY.length)] + "(" + gen(r, depth - 1) + ")";
            case 1 -> "(" + gen(r, depth - 1) + ") ? (" + gen(r, depth - 1) + ") : (" + gen(r, depth - 1) + ")";
            case 2 -> "[" + gen(r, depth - 1) + ", " + gen(r, depth - 1) + "]";
            case 3 -> "(" + gen(r, depth - 1) + ")[" + LEAVES[r.nextInt(LEAVES.length)] + "]";
            default -> "(" + gen(r, depth - 1) + ") " + BINARY[r.nextInt(BINARY.length)] + " (" + gen(r, depth - 1) + ")";
        };
    }
}
