package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The expression grammar: glass-easel's precedence and quirks, and what is refused, with positions. */
class ExprParserTest {
    private static String parsed(String source) throws WxmlException {
        return IrText.expr(ExprParser.parse(source));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "==>", quoteCharacter = '§', textBlock = """
            a || b ?? c ==> ((a || b) ?? c)
            a ?? b || c ==> ((a ?? b) || c)
            a || b && c ==> (a || (b && c))
            1 + 2 * 3 - 4 / 5 % 6 ==> ((1 + (2 * 3)) - ((4 / 5) % 6))
            -a.b ==> (-a.b)
            !a == b ==> ((!a) == b)
            a ? b : c ? d : e ==> (a ? b : (c ? d : e))
            a ? b ? c : d : e ==> (a ? (b ? c : d) : e)
            a < b == c >= d ==> ((a < b) == (c >= d))
            a & b | c ^ d ==> ((a & b) | (c ^ d))
            1 << 2 + 3 >>> 1 >> 2 ==> (((1 << (2 + 3)) >>> 1) >> 2)
            a === b !== c != d ==> (((a === b) !== c) != d)
            typeof a === 'string' ==> ((typeof a) === "string")
            void 0 ==> (void 0)
            - - a ==> (-(-a))
            +a + +b ==> ((+a) + (+b))
            typeofx ==> typeofx
            a[b.c][0].d ==> a[b.c][0].d
            m.fn(a, b + 1).x ==> m.fn(a, (b + 1)).x
            m.fn() ==> m.fn()
            a /* c */ + b ==> (a + b)
            017 ==> 15
            08 ==> 8
            0x1F ==> 31
            .5 ==> 0.5
            1e-3 ==> 0.001
            1.5e3 ==> 1500
            a?.5:1 ==> (a ? 0.5 : 1)
            '\\x41\\u0042\\n\\q' ==> "AB\\nq"
            "it's" ==> "it's"
            [1, , ...a, 2] ==> [1, <hole>, ...a, 2]
            {a: 1, b, ...c} ==> {a: 1, b: b, ...c}
            a: 1, ...b ==> {a: 1, ...b}
            x, y ==> {x: x, y: y}
            undefined === null ==> (undefined === null)
            in + new ==> (in + new)
            m.obj.fn(1, x) ==> m.obj.fn(1, x)
            """)
    void precedenceAndLiteralsAsGlassEasel(String source, String expected) throws WxmlException {
        assertThat(parsed(source)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "==>", quoteCharacter = '§', textBlock = """
            a = 1 ==> expression:1:3: unexpected character '='
            a += 1 ==> expression:1:3: unexpected character '+'
            a++ ==> expression:1:2: unexpected character '+'
            a instanceof B ==> expression:1:3: instanceof is not supported in templates
            f(1) ==> expression:1:2: only a WXS module's function can be called: module.function(...)
            a[0].c() ==> expression:1:7: only a WXS module's function can be called: module.function(...)
            m['f']() ==> expression:1:7: only a WXS module's function can be called: module.function(...)
            (x) => x ==> expression:1:5: unexpected character '='
            new Foo() ==> expression:1:5: unexpected character 'F'
            `t` ==> expression:1:1: template literals are not supported in templates
            a?.b ==> expression:1:2: unexpected character '?'
            1e+3 ==> expression:1:3: an exponent has digits
            0b1 ==> expression:1:2: unexpected character 'b' in a number
            0o7 ==> expression:1:2: unexpected character 'o' in a number
            1a ==> expression:1:2: unexpected character 'a' in a number
            'abc ==> expression:1:1: string is not closed
            '\\xZZ' ==> expression:1:2: illegal escape sequence
            {'a': 1} ==> expression:1:2: object keys in templates are plain names
            {a: 1, a: 2} ==> expression:1:8: duplicate key 'a'
            a ? b ==> expression:1:6: the expression ends before ':' of the conditional
            (a ==> expression:1:3: the expression ends before ')'
            [1, 2 ==> expression:1:6: the expression ends before ']'
            a.0 ==> expression:1:3: a property name follows '.'
            a /* open ==> expression:1:3: comment /* is not closed
            a ** b ==> expression:1:3: unexpected character '*'
            """)
    void refusedWithPosition(String source, String message) {
        assertThatThrownBy(() -> ExprParser.parse(source)).isInstanceOf(WxmlException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "depth {0}")
    @CsvSource({"(,)", "[,]", "!,''", "~,''"})
    void nestingIsBounded(String open, String close) {
        String deep = open.repeat(ExprParser.EXPR_DEPTH_MAX + 1) + "a" + close.repeat(ExprParser.EXPR_DEPTH_MAX + 1);
        assertThatThrownBy(() -> ExprParser.parse(deep)).isInstanceOf(WxmlException.class)
                .hasMessageContaining("nests deeper than " + ExprParser.EXPR_DEPTH_MAX);
    }

    @ParameterizedTest(name = "depth {0}")
    @CsvSource({"(,)", "[,]"})
    void nestingWithinTheBoundParses(String open, String close) throws WxmlException {
        String ok = open.repeat(ExprParser.EXPR_DEPTH_MAX - 2) + "a" + close.repeat(ExprParser.EXPR_DEPTH_MAX - 2);
        assertThat(ExprParser.parse(ok)).isNotNull();
    }

    @ParameterizedTest(name = "{0} chars")
    @CsvSource({"16385"})
    void lengthIsBounded(int chars) {
        String longExpr = "a" + " ".repeat(chars);
        assertThatThrownBy(() -> ExprParser.parse(longExpr)).isInstanceOf(WxmlException.class)
                .hasMessageContaining("at most " + ExprParser.EXPR_CHARS_MAX + " characters");
    }
}
