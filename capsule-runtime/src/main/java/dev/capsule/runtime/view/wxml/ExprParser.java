package dev.capsule.runtime.view.wxml;

import dev.capsule.runtime.view.wxml.Expr.BinaryOp;
import dev.capsule.runtime.view.wxml.Expr.UnaryOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the inside of one {@code {{ }}} into an {@link Expr}: glass-easel's grammar, anything else refused.
 *
 * <p>Precedence, lowest first: {@code ?:} (right), {@code || ??} (one level, as glass-easel), {@code &&},
 * {@code |}, {@code ^}, {@code &}, {@code == != === !==}, {@code < > <= >=}, {@code << >> >>>},
 * {@code + -}, {@code * / %}, prefix {@code ! ~ + - typeof void}, then member access {@code .x},
 * {@code [e]} and calls. White space and {@code /* *}{@code /} comments are skipped. Numbers: decimal with
 * fraction and a {@code e}/{@code e-} exponent, {@code 0x} hex, legacy {@code 0}-octal (no {@code 0b},
 * {@code 0o}, {@code e+}: glass-easel has none). Strings in either quote with the escapes
 * {@code \r \n \t \b \f \v \0}, &#92;x<i>HH</i>, &#92;u<i>HHHH</i> (any other escaped character stands for itself). Object keys are
 * identifiers; {@code {a}} is shorthand for {@code {a: a}}; {@code ...} spreads. A {@code {{ }}} whose
 * inside starts with {@code name:}, {@code name,} or {@code ...} is an object literal without braces.
 */
public final class ExprParser {
    /** Characters of one expression. */
    public static final int EXPR_CHARS_MAX = 16 * 1024;
    /** Nesting depth of an expression (parentheses, operators, literals). */
    public static final int EXPR_DEPTH_MAX = 64;

    private final String src;
    private int at;
    private int depth;

    private ExprParser(String src, int start) {
        this.src = src;
        this.at = start;
    }

    /** Parses a whole string as one expression; errors carry the path {@code expression} and a 1-based line and column in it. */
    public static Expr parse(String source) throws WxmlException {
        try {
            if (source.length() > EXPR_CHARS_MAX) {
                throw new SyntaxError(0, "an expression has at most " + EXPR_CHARS_MAX + " characters");
            }
            ExprParser p = new ExprParser(source, 0);
            Expr e = p.top(false);
            p.skipSpace();
            if (p.at < source.length()) {
                throw p.error("unexpected character " + describe(source.charAt(p.at)));
            }
            return e;
        } catch (SyntaxError e) {
            int[] lc = lineCol(source, e.index);
            throw new WxmlException("expression", lc[0], lc[1], e.getMessage());
        }
    }

    /** The result of parsing one {@code {{ }}} out of a larger text: the expression and the index just after {@code }}}. */
    record Hole(Expr expr, int end) {
    }

    /**
     * Parses {@code {{ expr }}} starting at {@code open} (the index of {@code {{}) in {@code src}.
     *
     * @param templateData {@code <template data>}: a lone name is the shorthand object {@code {name}}
     */
    static Hole parseHole(String src, int open, boolean templateData) throws SyntaxError {
        if (src.indexOf("}}", open + 2) < 0) {
            throw new SyntaxError(open, "{{ is not closed by }}");
        }
        ExprParser p = new ExprParser(src, open + 2);
        p.skipSpace();
        if (p.src.startsWith("}}", p.at)) {
            throw new SyntaxError(p.at, "empty expression in {{ }}");
        }
        Expr e = p.top(templateData);
        p.skipSpace();
        if (!p.src.startsWith("}}", p.at)) {
            if (p.at >= p.src.length()) {
                throw new SyntaxError(open, "{{ is not closed by }}");
            }
            throw p.error("unexpected character " + describe(p.src.charAt(p.at)) + " (expected }})");
        }
        if (p.at - open > EXPR_CHARS_MAX) {
            throw new SyntaxError(open, "an expression has at most " + EXPR_CHARS_MAX + " characters");
        }
        return new Hole(e, p.at + 2);
    }

    /** A syntax error at an index of the source being parsed. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        final int index;

        SyntaxError(int index, String message) {
            super(message, null, false, false);
            this.index = index;
        }
    }

    static int[] lineCol(String s, int index) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < index && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    // ---- scanning ----

    private SyntaxError error(String message) {
        return new SyntaxError(at, message);
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    static boolean isSpace(char c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0d);
    }

    private void skipSpace() throws SyntaxError {
        while (at < src.length()) {
            char c = src.charAt(at);
            if (isSpace(c)) {
                at++;
            } else if (src.startsWith("/*", at)) {
                int end = src.indexOf("*/", at + 2);
                if (end < 0) {
                    throw error("comment /* is not closed");
                }
                at = end + 2;
            } else {
                return;
            }
        }
    }

    /** The next significant character, or -1 at the end. */
    private int peek() throws SyntaxError {
        skipSpace();
        return at < src.length() ? src.charAt(at) : -1;
    }

    private boolean peekStr(String s) throws SyntaxError {
        skipSpace();
        return src.startsWith(s, at);
    }

    /** Consumes {@code s} unless what follows it starts with one of {@code excepts}. */
    private boolean eat(String s, String... excepts) throws SyntaxError {
        if (!peekStr(s)) {
            return false;
        }
        for (String e : excepts) {
            if (src.startsWith(e, at + s.length())) {
                return false;
            }
        }
        at += s.length();
        return true;
    }

    /** Consumes a keyword operator ({@code typeof}) unless an identifier character follows. */
    private boolean eatWord(String w) throws SyntaxError {
        if (!peekStr(w)) {
            return false;
        }
        int after = at + w.length();
        if (after < src.length() && isIdentChar(src.charAt(after))) {
            return false;
        }
        at = after;
        return true;
    }

    private void expect(char c, String what) throws SyntaxError {
        int p = peek();
        if (p != c) {
            throw error(p < 0 ? "the expression ends before " + what : "unexpected character " + describe((char) p) + " (expected " + what + ")");
        }
        at++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isIdentChar(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    /** An identifier at the current position (after white space), or null. */
    private String ident() throws SyntaxError {
        int p = peek();
        if (p < 0 || !isIdentStart((char) p)) {
            return null;
        }
        int s = at;
        while (at < src.length() && isIdentChar(src.charAt(at))) {
            at++;
        }
        return src.substring(s, at);
    }

    private void enter() throws SyntaxError {
        if (++depth > EXPR_DEPTH_MAX) {
            throw error("the expression nests deeper than " + EXPR_DEPTH_MAX);
        }
    }

    // ---- grammar ----

    /** The inside of {{ }}: an object literal without braces, or an expression. */
    private Expr top(boolean templateData) throws SyntaxError {
        int save = at;
        boolean objectInner = false;
        String name = ident();
        if (name != null) {
            int p = peek();
            objectInner = p == ':' || p == ',' || (templateData && (peekStr("}}") || p < 0));
        } else {
            objectInner = peekStr("...");
        }
        at = save;
        if (objectInner) {
            return new Expr.ObjectLit(objectItems(true));
        }
        return cond();
    }

    private Expr cond() throws SyntaxError {
        enter();
        Expr test = logicOr();
        Expr result = test;
        // `?` but not `??` or `?.` (optional chaining is not in the grammar), except `?.5`
        if (eatQuestion()) {
            Expr then = cond();
            expect(':', "':' of the conditional");
            Expr otherwise = cond();
            result = new Expr.Conditional(test, then, otherwise);
        }
        depth--;
        return result;
    }

    private boolean eatQuestion() throws SyntaxError {
        if (eat("?", "?", ".")) {
            return true;
        }
        if (peekStr("?.") && at + 2 < src.length() && isDigit(src.charAt(at + 2))) {
            at++;
            return true;
        }
        return false;
    }

    private Expr logicOr() throws SyntaxError {
        Expr left = logicAnd();
        while (true) {
            if (eat("||", "=")) {
                left = new Expr.Binary(BinaryOp.OR, left, logicAnd());
            } else if (eat("??", "=")) {
                left = new Expr.Binary(BinaryOp.NULLISH, left, logicAnd());
            } else {
                return left;
            }
        }
    }

    private Expr logicAnd() throws SyntaxError {
        Expr left = bitOr();
        while (eat("&&", "=")) {
            left = new Expr.Binary(BinaryOp.AND, left, bitOr());
        }
        return left;
    }

    private Expr bitOr() throws SyntaxError {
        Expr left = bitXor();
        while (eat("|", "|", "=")) {
            left = new Expr.Binary(BinaryOp.BIT_OR, left, bitXor());
        }
        return left;
    }

    private Expr bitXor() throws SyntaxError {
        Expr left = bitAnd();
        while (eat("^", "=")) {
            left = new Expr.Binary(BinaryOp.BIT_XOR, left, bitAnd());
        }
        return left;
    }

    private Expr bitAnd() throws SyntaxError {
        Expr left = equality();
        while (eat("&", "&", "=")) {
            left = new Expr.Binary(BinaryOp.BIT_AND, left, equality());
        }
        return left;
    }

    private Expr equality() throws SyntaxError {
        Expr left = comparison();
        while (true) {
            BinaryOp op;
            if (eat("===")) {
                op = BinaryOp.STRICT_EQ;
            } else if (eat("!==")) {
                op = BinaryOp.STRICT_NE;
            } else if (eat("==", "=")) {
                op = BinaryOp.EQ;
            } else if (eat("!=", "=")) {
                op = BinaryOp.NE;
            } else {
                return left;
            }
            left = new Expr.Binary(op, left, comparison());
        }
    }

    private Expr comparison() throws SyntaxError {
        Expr left = shift();
        while (true) {
            BinaryOp op;
            if (eat("<=")) {
                op = BinaryOp.LE;
            } else if (eat(">=")) {
                op = BinaryOp.GE;
            } else if (eat("<", "<", "=")) {
                op = BinaryOp.LT;
            } else if (eat(">", ">", "=")) {
                op = BinaryOp.GT;
            } else if (peekStr("instanceof") && eatWord("instanceof")) {
                throw new SyntaxError(at - "instanceof".length(), "instanceof is not supported in templates");
            } else {
                return left;
            }
            left = new Expr.Binary(op, left, shift());
        }
    }

    private Expr shift() throws SyntaxError {
        Expr left = additive();
        while (true) {
            BinaryOp op;
            if (eat(">>>", "=")) {
                op = BinaryOp.USHR;
            } else if (eat("<<", "=")) {
                op = BinaryOp.SHL;
            } else if (eat(">>", ">", "=")) {
                op = BinaryOp.SHR;
            } else {
                return left;
            }
            left = new Expr.Binary(op, left, additive());
        }
    }

    private Expr additive() throws SyntaxError {
        Expr left = multiplicative();
        while (true) {
            if (eat("+", "+", "=")) {
                left = new Expr.Binary(BinaryOp.ADD, left, multiplicative());
            } else if (eat("-", "-", "=")) {
                left = new Expr.Binary(BinaryOp.SUB, left, multiplicative());
            } else {
                return left;
            }
        }
    }

    private Expr multiplicative() throws SyntaxError {
        Expr left = unary();
        while (true) {
            BinaryOp op;
            if (eat("*", "*", "/", "=")) {
                op = BinaryOp.MUL;
            } else if (eat("/", "*", "/", "=")) {
                op = BinaryOp.DIV;
            } else if (eat("%", "=")) {
                op = BinaryOp.REM;
            } else {
                return left;
            }
            left = new Expr.Binary(op, left, unary());
        }
    }

    private Expr unary() throws SyntaxError {
        UnaryOp op;
        if (eat("!")) {
            op = UnaryOp.NOT;
        } else if (eat("~")) {
            op = UnaryOp.BIT_NOT;
        } else if (eat("+", "+", "=")) {
            op = UnaryOp.PLUS;
        } else if (eat("-", "-", "=")) {
            op = UnaryOp.MINUS;
        } else if (eatWord("typeof")) {
            op = UnaryOp.TYPEOF;
        } else if (eatWord("void")) {
            op = UnaryOp.VOID;
        } else {
            return member();
        }
        enter();
        Expr operand = unary();
        depth--;
        return new Expr.Unary(op, operand);
    }

    private Expr member() throws SyntaxError {
        Expr obj = primary();
        while (true) {
            if (eat(".", "..")) {
                String name = ident();
                if (name == null) {
                    throw error("a property name follows '.'");
                }
                obj = new Expr.Member(obj, name);
            } else if (eat("[")) {
                Expr key = cond();
                expect(']', "']'");
                obj = new Expr.Index(obj, key);
            } else if (peek() == '(') {
                int callAt = at;
                at++;
                List<Expr> args = new ArrayList<>();
                while (peek() != ')') {
                    args.add(cond());
                    if (!eat(",")) {
                        break;
                    }
                }
                expect(')', "')'");
                obj = wxsCall(obj, args, callAt);
            } else {
                return obj;
            }
        }
    }

    /**
     * {@code module.function(args)}, or a function nested in the module's exports, {@code module.obj.fn(args)}
     * (a dotted {@code function} path: names are identifiers, so a dot cannot be part of one).
     */
    private static Expr wxsCall(Expr callee, List<Expr> args, int callAt) throws SyntaxError {
        List<String> path = new ArrayList<>();
        Expr at = callee;
        while (at instanceof Expr.Member(Expr object, String name)) {
            path.addFirst(name);
            at = object;
        }
        if (!(at instanceof Expr.Name(String module)) || path.isEmpty()) {
            throw new SyntaxError(callAt, "only a WXS module's function can be called: module.function(...)");
        }
        return new Expr.WxsCall(module, String.join(".", path), args);
    }

    private Expr primary() throws SyntaxError {
        int p = peek();
        if (p < 0) {
            throw error("the expression ends where a value was expected");
        }
        char c = (char) p;
        if (isIdentStart(c)) {
            String name = ident();
            return switch (name) {
                case "undefined" -> new Expr.Undefined();
                case "null" -> new Expr.Null();
                case "true" -> new Expr.Bool(true);
                case "false" -> new Expr.Bool(false);
                default -> new Expr.Name(name);
            };
        }
        if (c == '"' || c == '\'') {
            return string(c);
        }
        if ((c >= '0' && c <= '9') || c == '.') {
            return number();
        }
        if (c == '(') {
            at++;
            Expr inner = cond();
            expect(')', "')'");
            return inner;
        }
        if (c == '{') {
            at++;
            List<Expr.ObjectItem> items = objectItems(false);
            expect('}', "'}'");
            return new Expr.ObjectLit(items);
        }
        if (c == '[') {
            at++;
            List<Expr.ArrayItem> items = arrayItems();
            expect(']', "']'");
            return new Expr.ArrayLit(items);
        }
        if (c == '`') {
            throw error("template literals are not supported in templates");
        }
        throw error("unexpected character " + describe(c));
    }

    /** Object members until '}' (or, at the top of {{ }}, until '}}' or the end). */
    private List<Expr.ObjectItem> objectItems(boolean topLevel) throws SyntaxError {
        List<Expr.ObjectItem> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (true) {
            int p = peek();
            if (p < 0 || p == '}') {
                return items;
            }
            if (p == '.') {
                if (!eat("...")) {
                    throw error("unexpected character '.'");
                }
                items.add(new Expr.SpreadProp(cond()));
            } else {
                int nameAt = at;
                String name = ident();
                if (name == null) {
                    throw error(p == '"' || p == '\'' || p == '[' || (p >= '0' && p <= '9')
                            ? "object keys in templates are plain names" : "unexpected character " + describe((char) p));
                }
                if (!names.add(name)) {
                    throw new SyntaxError(nameAt, "duplicate key '" + name + "'");
                }
                if (eat(":")) {
                    items.add(new Expr.Prop(name, cond()));
                } else {
                    int q = peek();
                    if (q >= 0 && q != '}' && q != ',') {
                        throw error("unexpected character " + describe((char) q) + " (expected ':' or ',')");
                    }
                    items.add(new Expr.Prop(name, new Expr.Name(name)));
                }
            }
            int q = peek();
            if (q == ',') {
                at++;
            } else if (q != '}' && !(topLevel && q < 0)) {
                throw q < 0 ? error("the expression ends before '}'") : error("unexpected character " + describe((char) q) + " (expected ',' or '}')");
            }
        }
    }

    private List<Expr.ArrayItem> arrayItems() throws SyntaxError {
        List<Expr.ArrayItem> items = new ArrayList<>();
        while (true) {
            int p = peek();
            if (p < 0 || p == ']') {
                return items;
            }
            if (p == ',') {
                at++;
                items.add(new Expr.Hole());
                continue;
            }
            if (p == '.' && peekStr("...")) {
                at += 3;
                items.add(new Expr.SpreadItem(cond()));
            } else {
                items.add(new Expr.Item(cond()));
            }
            int q = peek();
            if (q == ',') {
                at++;
            } else if (q != ']') {
                throw q < 0 ? error("the expression ends before ']'") : error("unexpected character " + describe((char) q) + " (expected ',' or ']')");
            }
        }
    }

    private Expr string(char quote) throws SyntaxError {
        int open = at;
        at++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= src.length()) {
                throw new SyntaxError(open, "string is not closed");
            }
            char c = src.charAt(at++);
            if (c == quote) {
                return new Expr.Str(sb.toString());
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= src.length()) {
                throw new SyntaxError(open, "string is not closed");
            }
            char e = src.charAt(at++);
            switch (e) {
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '0' -> sb.append('\0');
                case 'x', 'u' -> {
                    int n = e == 'x' ? 2 : 4;
                    int v = 0;
                    for (int i = 0; i < n; i++) {
                        int d = at < src.length() ? Character.digit(src.charAt(at), 16) : -1;
                        if (d < 0) {
                            throw new SyntaxError(at - 2 - i, "illegal escape sequence");
                        }
                        v = v * 16 + d;
                        at++;
                    }
                    sb.append((char) v);
                }
                default -> sb.append(e);
            }
        }
    }

    private Expr number() throws SyntaxError {
        int s = at;
        char first = src.charAt(at);
        if (first == '0' && at + 1 < src.length()) {
            char next = src.charAt(at + 1);
            if (next >= '0' && next <= '7') {
                // legacy octal, as glass-easel: 017 is 15
                at++;
                double v = 0;
                while (at < src.length() && isIdentChar(src.charAt(at))) {
                    char d = src.charAt(at);
                    if (d < '0' || d > '7') {
                        throw error("unexpected character " + describe(d) + " in an octal number");
                    }
                    v = v * 8 + (d - '0');
                    at++;
                }
                return new Expr.Num(v);
            }
            if (next == 'x') {
                at += 2;
                double v = 0;
                int digits = 0;
                while (at < src.length() && isIdentChar(src.charAt(at))) {
                    int d = Character.digit(src.charAt(at), 16);
                    if (d < 0) {
                        throw error("unexpected character " + describe(src.charAt(at)) + " in a hex number");
                    }
                    v = v * 16 + d;
                    at++;
                    digits++;
                }
                if (digits == 0) {
                    throw error("a hex number has digits");
                }
                return new Expr.Num(v);
            }
            if (isIdentChar(next) && next != 'e' && next != '8' && next != '9') {
                throw new SyntaxError(at + 1, "unexpected character " + describe(next) + " in a number");
            }
        }
        boolean fraction = false;
        while (true) {
            char c = src.charAt(at++);
            if (c == 'e') {
                fraction = true;
                if (at < src.length() && src.charAt(at) == '-') {
                    at++;
                }
                if (at >= src.length() || !isDigit(src.charAt(at))) {
                    throw error("an exponent has digits");
                }
                while (at < src.length() && isIdentChar(src.charAt(at))) {
                    if (!isDigit(src.charAt(at))) {
                        throw error("unexpected character " + describe(src.charAt(at)) + " in a number");
                    }
                    at++;
                }
                break;
            }
            if (c == '.') {
                fraction = true;
            }
            if (at >= src.length()) {
                break;
            }
            char p = src.charAt(at);
            if (!isIdentChar(p) && p != '.') {
                break;
            }
            if (!(isDigit(p) || (!fraction && p == '.') || p == 'e')) {
                throw error("unexpected character " + describe(p) + " in a number");
            }
        }
        String text = src.substring(s, at);
        try {
            return new Expr.Num(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new SyntaxError(s, "not a number: " + text);
        }
    }
}
