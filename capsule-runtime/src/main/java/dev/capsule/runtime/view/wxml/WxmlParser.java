package dev.capsule.runtime.view.wxml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The strict WXML parser: a hand-written tokenizer (WXML is not XML) into the typed IR.
 *
 * <p>What it accepts, as WeChat's compiler: {@code {{ }}} anywhere in text and attribute values (an
 * expression may hold {@code >} or the attribute's quote inside a string literal); a {@code <} starts a
 * tag only when followed by a letter, {@code _}, {@code /} or {@code !}; every element may self-close and
 * none is void ({@code <input>} needs {@code />} or {@code </input>}); {@code <wxs>} bodies are raw text;
 * an attribute without a value is {@code "true"}; {@code <!-- -->} comments; white-space-only text is
 * dropped. What it refuses, with file:line:col: unclosed or mismatched tags, a bad or unclosed
 * {@code {{ }}}, an expression outside the grammar ({@link ExprParser}), unknown {@code wx:} attributes
 * and attribute prefixes, duplicate attributes, {@code wx:elif}/{@code wx:else} without {@code wx:if},
 * misplaced {@code template}/{@code import}/{@code wxs}.
 *
 * <p>Security guarantees: input is bounded ({@link #FILE_CHARS_MAX}, {@link #NODES_MAX},
 * {@link #DEPTH_MAX}, and the expression limits of {@link ExprParser}); the only exception it throws for
 * any input is {@link WxmlException} with a position.
 */
public final class WxmlParser {
    /** Characters of one WXML file. */
    public static final int FILE_CHARS_MAX = 1 << 20;
    /** Nodes (elements, texts, control nodes) of one file. */
    public static final int NODES_MAX = 50_000;
    /** Element nesting depth. */
    public static final int DEPTH_MAX = 128;
    /** Attributes of one element. */
    public static final int ATTRIBUTES_MAX = 256;

    private static final Pattern JS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final String path;
    private final String src;
    private final int[] lineStarts;
    private int at;
    private int nodes;
    private final Map<String, TemplateDef> templates = new LinkedHashMap<>();
    private final List<ImportRef> imports = new ArrayList<>();
    private final List<WxsModuleDef> wxs = new ArrayList<>();
    private final java.util.Set<String> wxsNames = new java.util.HashSet<>();

    private WxmlParser(String path, String src) {
        this.path = path;
        this.src = src;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses one file; {@code path} names it in errors. */
    public static WxmlFile parse(String path, String source) throws WxmlException {
        if (source.length() > FILE_CHARS_MAX) {
            throw new WxmlException(path, 1, 1, "a WXML file has at most " + FILE_CHARS_MAX + " characters");
        }
        WxmlParser p = new WxmlParser(path, source);
        try {
            List<Raw> top = p.content(null, 0);
            List<TNode> children = p.convert(top, true);
            return new WxmlFile(path, children, p.templates, p.imports, p.wxs);
        } catch (ExprParser.SyntaxError e) {
            throw p.error(e.index, e.getMessage());
        }
    }

    // ---- positions and errors ----

    private Pos pos(int index) {
        int i = Arrays.binarySearch(lineStarts, index);
        int line = i >= 0 ? i : -i - 2;
        return new Pos(line + 1, index - lineStarts[line] + 1);
    }

    private WxmlException error(int index, String message) {
        Pos p = pos(Math.min(index, src.length()));
        return new WxmlException(path, p.line(), p.col(), message);
    }

    private WxmlException error(Pos p, String message) {
        return new WxmlException(path, p.line(), p.col(), message);
    }

    private void count(int index) throws WxmlException {
        if (++nodes > NODES_MAX) {
            throw error(index, "a WXML file has at most " + NODES_MAX + " nodes");
        }
    }

    // ---- the raw tree ----

    /** A parsed node before control attributes are applied. */
    private sealed interface Raw {
    }

    private record RawText(Binding text, int start) implements Raw {
    }

    private record RawAttr(String name, Binding value, boolean valueless, int start) {
    }

    private record RawElement(String tag, List<RawAttr> attrs, List<Raw> children, String body, int start) implements Raw {
    }

    private static boolean tagStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean tagChar(char c) {
        return tagStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }

    private boolean startsTag(int i) {
        if (i + 1 >= src.length() || src.charAt(i) != '<') {
            return false;
        }
        char c = src.charAt(i + 1);
        return c == '/' || c == '!' || tagStart(c);
    }

    /** Nodes until the end (openTag null) or until {@code </openTag>}, which it consumes. */
    private List<Raw> content(RawOpen open, int depth) throws WxmlException, ExprParser.SyntaxError {
        List<Raw> out = new ArrayList<>();
        while (true) {
            if (at >= src.length()) {
                if (open != null) {
                    throw error(open.start, "<" + open.tag + "> is not closed");
                }
                return out;
            }
            if (src.startsWith("<!--", at)) {
                int end = src.indexOf("-->", at + 4);
                if (end < 0) {
                    throw error(at, "comment <!-- is not closed");
                }
                at = end + 3;
                continue;
            }
            if (src.startsWith("</", at)) {
                int closeAt = at;
                at += 2;
                String name = tagName();
                skipSpace();
                if (at >= src.length() || src.charAt(at) != '>') {
                    throw error(at, "'>' expected to end </" + name);
                }
                at++;
                if (open == null) {
                    throw error(closeAt, "</" + name + "> closes no open tag");
                }
                if (!name.equals(open.tag)) {
                    Pos o = pos(open.start);
                    throw error(closeAt, "</" + name + "> does not close <" + open.tag + "> opened at " + o.line() + ":" + o.col());
                }
                return out;
            }
            if (src.startsWith("<!", at)) {
                throw error(at, "only <!-- --> comments are allowed, not <!");
            }
            if (startsTag(at)) {
                out.add(element(depth + 1));
                continue;
            }
            RawText text = text();
            if (text != null) {
                out.add(text);
            }
        }
    }

    private record RawOpen(String tag, int start) {
    }

    private String tagName() throws WxmlException {
        int s = at;
        if (at >= src.length() || !tagStart(src.charAt(at))) {
            throw error(at, "a tag name starts with a letter or '_'");
        }
        while (at < src.length() && tagChar(src.charAt(at))) {
            at++;
        }
        return src.substring(s, at);
    }

    private void skipSpace() {
        while (at < src.length() && ExprParser.isSpace(src.charAt(at))) {
            at++;
        }
    }

    private RawElement element(int depth) throws WxmlException, ExprParser.SyntaxError {
        int start = at;
        if (depth > DEPTH_MAX) {
            throw error(start, "elements nest deeper than " + DEPTH_MAX);
        }
        count(start);
        at++; // '<'
        String tag = tagName();
        List<RawAttr> attrs = new ArrayList<>();
        boolean selfClosing;
        while (true) {
            skipSpace();
            if (at >= src.length()) {
                throw error(start, "<" + tag + " is not closed by '>'");
            }
            char c = src.charAt(at);
            if (c == '>') {
                at++;
                selfClosing = false;
                break;
            }
            if (src.startsWith("/>", at)) {
                at += 2;
                selfClosing = true;
                break;
            }
            if (!tagStart(c)) {
                throw error(at, "unexpected character " + describe(c) + " in <" + tag + ">");
            }
            if (attrs.size() >= ATTRIBUTES_MAX) {
                throw error(at, "an element has at most " + ATTRIBUTES_MAX + " attributes");
            }
            attrs.add(attribute(tag));
        }
        if (tag.equals("wxs") && !selfClosing) {
            int end = src.indexOf("</wxs", at);
            if (end < 0) {
                throw error(start, "<wxs> is not closed");
            }
            String body = src.substring(at, end);
            at = end + 5;
            skipSpace();
            if (at >= src.length() || src.charAt(at) != '>') {
                throw error(at, "'>' expected to end </wxs");
            }
            at++;
            return new RawElement(tag, attrs, List.of(), body, start);
        }
        List<Raw> children = selfClosing ? List.of() : content(new RawOpen(tag, start), depth);
        return new RawElement(tag, attrs, children, null, start);
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private RawAttr attribute(String tag) throws WxmlException, ExprParser.SyntaxError {
        int start = at;
        StringBuilder name = new StringBuilder();
        while (true) {
            int s = at;
            if (at >= src.length() || !tagStart(src.charAt(at))) {
                throw error(at, "an attribute name part starts with a letter or '_'");
            }
            while (at < src.length() && tagChar(src.charAt(at))) {
                at++;
            }
            name.append(src, s, at);
            if (at < src.length() && src.charAt(at) == ':') {
                name.append(':');
                at++;
                continue;
            }
            break;
        }
        String n = name.toString();
        boolean templateData = tag.equals("template") && n.equals("data");
        int save = at;
        skipSpace();
        if (at >= src.length() || src.charAt(at) != '=') {
            at = save;
            return new RawAttr(n, new Binding.Literal("true"), true, start);
        }
        at++;
        skipSpace();
        if (at >= src.length()) {
            throw error(at, "attribute " + n + " has no value after '='");
        }
        char q = src.charAt(at);
        if (q == '"' || q == '\'') {
            int open = at;
            at++;
            Binding b = binding(q, templateData, open);
            at++; // closing quote
            return new RawAttr(n, b, false, start);
        }
        if (src.startsWith("{{", at)) {
            ExprParser.Hole h = ExprParser.parseHole(src, at, templateData);
            at = h.end();
            return new RawAttr(n, new Binding.Single(h.expr()), false, start);
        }
        if (tagChar(q)) {
            int s = at;
            while (at < src.length() && tagChar(src.charAt(at))) {
                at++;
            }
            return new RawAttr(n, new Binding.Literal(src.substring(s, at)), false, start);
        }
        throw error(at, "attribute " + n + " has no value after '='");
    }

    /**
     * Text with {@code {{ }}} holes and character references, until {@code quote} (attribute values;
     * left unconsumed) or, with quote 0, until a tag starts.
     */
    private Binding binding(char quote, boolean templateData, int open) throws WxmlException, ExprParser.SyntaxError {
        List<Binding.Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            if (at >= src.length()) {
                if (quote != 0) {
                    throw error(open, "attribute value is not closed by " + quote);
                }
                break;
            }
            char c = src.charAt(at);
            if (quote != 0 ? c == quote : startsTag(at)) {
                break;
            }
            if (c == '{' && src.startsWith("{{", at)) {
                ExprParser.Hole h = ExprParser.parseHole(src, at, templateData);
                if (!text.isEmpty()) {
                    parts.add(new Binding.TextPart(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Binding.ExprPart(h.expr()));
                at = h.end();
                continue;
            }
            if (c == '&') {
                Entities.Decoded d = Entities.decode(src, at);
                if (d != null) {
                    text.append(d.text());
                    at += d.length();
                    continue;
                }
            }
            text.append(c);
            at++;
        }
        if (!text.isEmpty()) {
            parts.add(new Binding.TextPart(text.toString()));
        }
        if (parts.isEmpty()) {
            return new Binding.Literal("");
        }
        if (parts.size() == 1) {
            return switch (parts.getFirst()) {
                case Binding.TextPart(String t) -> new Binding.Literal(t);
                case Binding.ExprPart(Expr e) -> new Binding.Single(e);
            };
        }
        return new Binding.Interpolated(parts);
    }

    private RawText text() throws WxmlException, ExprParser.SyntaxError {
        int start = at;
        Binding b = binding((char) 0, false, start);
        if (b instanceof Binding.Literal(String t) && t.chars().allMatch(ch -> ExprParser.isSpace((char) ch))) {
            return null;
        }
        count(start);
        return new RawText(b, start);
    }

    // ---- from the raw tree to the IR ----

    private List<TNode> convert(List<Raw> raws, boolean topLevel) throws WxmlException {
        List<TNode> out = new ArrayList<>();
        List<TIf.Branch> chain = null;
        for (Raw raw : raws) {
            if (raw instanceof RawText(Binding text, int start)) {
                chain = flush(out, chain);
                out.add(new TText(text, pos(start)));
                continue;
            }
            RawElement e = (RawElement) raw;
            Control ctl = control(e);
            TNode core = core(e, ctl, topLevel);
            if (core == null) {
                // template definitions, imports and wxs are collected, not rendered
                chain = flush(out, chain);
                continue;
            }
            switch (ctl.branch) {
                case IF -> {
                    chain = flush(out, chain);
                    TNode node = ctl.forNode(core, true);
                    if (ctl.items != null) {
                        out.add(node);
                    } else {
                        chain = new ArrayList<>();
                        chain.add(new TIf.Branch(ctl.cond, List.of(core)));
                    }
                }
                case ELIF, ELSE -> {
                    if (chain == null) {
                        throw error(e.start, (ctl.branch == BranchKind.ELIF ? "wx:elif" : "wx:else") + " without a preceding wx:if");
                    }
                    if (ctl.items != null) {
                        throw error(e.start, "wx:for cannot be on the same element as wx:elif or wx:else");
                    }
                    chain.add(new TIf.Branch(ctl.branch == BranchKind.ELIF ? ctl.cond : null, List.of(core)));
                    if (ctl.branch == BranchKind.ELSE) {
                        chain = flush(out, chain);
                    }
                }
                case NONE -> {
                    chain = flush(out, chain);
                    out.add(ctl.forNode(core, false));
                }
            }
        }
        flush(out, chain);
        return out;
    }

    private List<TIf.Branch> flush(List<TNode> out, List<TIf.Branch> chain) throws WxmlException {
        if (chain != null) {
            count(0);
            out.add(new TIf(chain));
        }
        return null;
    }

    private enum BranchKind { NONE, IF, ELIF, ELSE }

    /** The control attributes of an element. */
    private final class Control {
        BranchKind branch = BranchKind.NONE;
        Expr cond;
        Expr items;
        String item = "item";
        String index = "index";
        TKey key;
        int start;

        /** Wraps the element in its wx:for (and, for wx:if with wx:for, the if inside the loop, as WeChat). */
        TNode forNode(TNode core, boolean withIf) throws WxmlException {
            TNode body = core;
            if (withIf && items != null) {
                count(start);
                body = new TIf(List.of(new TIf.Branch(cond, List.of(core))));
            }
            if (items == null) {
                return body;
            }
            count(start);
            return new TFor(items, item, index, key, List.of(body));
        }
    }

    private Control control(RawElement e) throws WxmlException {
        Control c = new Control();
        c.start = e.start;
        for (RawAttr a : e.attrs) {
            if (!a.name.startsWith("wx:")) {
                continue;
            }
            switch (a.name) {
                case "wx:if", "wx:elif" -> {
                    if (c.branch != BranchKind.NONE) {
                        throw error(a.start, "an element has one of wx:if, wx:elif, wx:else");
                    }
                    c.branch = a.name.equals("wx:if") ? BranchKind.IF : BranchKind.ELIF;
                    c.cond = expression(a);
                }
                case "wx:else" -> {
                    if (c.branch != BranchKind.NONE) {
                        throw error(a.start, "an element has one of wx:if, wx:elif, wx:else");
                    }
                    c.branch = BranchKind.ELSE;
                }
                case "wx:for", "wx:for-items" -> {
                    if (c.items != null) {
                        throw error(a.start, "an element has one wx:for");
                    }
                    c.items = expression(a);
                }
                case "wx:for-item" -> c.item = jsName(a);
                case "wx:for-index" -> c.index = jsName(a);
                case "wx:key" -> c.key = key(a);
                default -> throw error(a.start, "unknown attribute " + a.name
                        + " (wx: attributes are if, elif, else, for, for-item, for-index, key)");
            }
        }
        if (c.items == null) {
            for (RawAttr a : e.attrs) {
                if (a.name.equals("wx:for-item") || a.name.equals("wx:for-index") || a.name.equals("wx:key")) {
                    throw error(a.start, a.name + " without wx:for");
                }
            }
        }
        return c;
    }

    /** A wx:if / wx:for value: one {{ }} expression, or plain text (a string, as WeChat). */
    private Expr expression(RawAttr a) throws WxmlException {
        return switch (a.value) {
            case Binding.Single(Expr e) -> e;
            case Binding.Literal(String s) -> a.valueless ? new Expr.Bool(true) : new Expr.Str(s);
            case Binding.Interpolated i -> throw error(a.start, a.name + " takes one {{ }} expression and nothing around it");
        };
    }

    private String plain(RawAttr a) throws WxmlException {
        if (!(a.value instanceof Binding.Literal(String s)) || a.valueless) {
            throw error(a.start, a.name + " takes a plain value, not {{ }}");
        }
        return s;
    }

    private String jsName(RawAttr a) throws WxmlException {
        String s = plain(a).strip();
        if (!JS_NAME.matcher(s).matches()) {
            throw error(a.start, a.name + " is a name like item or i");
        }
        return s;
    }

    private TKey key(RawAttr a) throws WxmlException {
        if (!(a.value instanceof Binding.Literal(String s))) {
            // WeChat warns about wx:key="{{...}}" and renders without a key; so do we.
            return null;
        }
        String k = s.strip();
        if (k.equals("*this")) {
            return new TKey.Self();
        }
        if (k.isEmpty() || a.valueless) {
            throw error(a.start, "wx:key names a property of each item, or *this");
        }
        return new TKey.Field(k);
    }

    /** The element without its control attributes; null for what is collected rather than rendered. */
    private TNode core(RawElement e, Control ctl, boolean topLevel) throws WxmlException {
        List<RawAttr> attrs = e.attrs.stream().filter(a -> !a.name.startsWith("wx:")).toList();
        Map<String, RawAttr> byName = new HashMap<>();
        for (RawAttr a : attrs) {
            if (byName.put(a.name, a) != null) {
                throw error(a.start, "duplicate attribute " + a.name);
            }
        }
        boolean control = ctl.branch != BranchKind.NONE || ctl.items != null;
        Pos pos = pos(e.start);
        switch (e.tag) {
            case "wxs" -> {
                requireTopLevel(e, topLevel, control);
                only(e, attrs, "module", "src");
                RawAttr module = required(e, byName, "module");
                String name = jsName(module);
                if (!wxsNames.add(name)) {
                    throw error(module.start, "wxs module " + name + " is defined twice");
                }
                RawAttr src = byName.get("src");
                String body = e.body == null ? "" : e.body;
                if (src != null && !body.isBlank()) {
                    throw error(e.start, "<wxs> has either a src or a body, not both");
                }
                wxs.add(src != null ? new WxsModuleDef(name, plain(src), null, pos) : new WxsModuleDef(name, null, body, pos));
                return null;
            }
            case "import" -> {
                requireTopLevel(e, topLevel, control);
                only(e, attrs, "src");
                noChildren(e);
                imports.add(new ImportRef(plain(required(e, byName, "src")), pos));
                return null;
            }
            case "include" -> {
                only(e, attrs, "src");
                noChildren(e);
                return new TInclude(plain(required(e, byName, "src")));
            }
            case "template" -> {
                RawAttr name = byName.get("name");
                RawAttr is = byName.get("is");
                if ((name == null) == (is == null)) {
                    throw error(e.start, "<template> has either name (a definition) or is (a use)");
                }
                if (name != null) {
                    requireTopLevel(e, topLevel, control);
                    only(e, attrs, "name");
                    String n = plain(name);
                    if (n.isEmpty()) {
                        throw error(name.start, "a template has a name");
                    }
                    if (templates.containsKey(n)) {
                        throw error(name.start, "template " + n + " is defined twice in this file");
                    }
                    templates.put(n, new TemplateDef(n, convert(e.children, false), pos));
                    return null;
                }
                only(e, attrs, "is", "data");
                noChildren(e);
                RawAttr data = byName.get("data");
                Expr dataExpr = null;
                if (data != null) {
                    if (!(data.value instanceof Binding.Single(Expr d))) {
                        throw error(data.start, "data takes one {{ }}: data=\"{{a, b: 1, ...c}}\"");
                    }
                    dataExpr = d;
                }
                return new TTemplateUse(is.value, dataExpr, pos);
            }
            case "block" -> {
                only(e, attrs);
                return new TBlock(convert(e.children, false));
            }
            case "slot" -> {
                only(e, attrs, "name");
                noChildren(e);
                RawAttr name = byName.get("name");
                return new TSlot(name == null ? new Binding.Literal("") : name.value);
            }
            default -> {
                return element(e, attrs, pos);
            }
        }
    }

    private void requireTopLevel(RawElement e, boolean topLevel, boolean control) throws WxmlException {
        if (!topLevel) {
            throw error(e.start, "<" + e.tag + "> belongs at the top level of a file");
        }
        if (control) {
            throw error(e.start, "<" + e.tag + "> takes no wx:if or wx:for");
        }
    }

    private void only(RawElement e, List<RawAttr> attrs, String... allowed) throws WxmlException {
        for (RawAttr a : attrs) {
            if (!Arrays.asList(allowed).contains(a.name)) {
                throw error(a.start, "<" + e.tag + "> takes no attribute " + a.name
                        + (allowed.length == 0 ? "" : " (only " + String.join(", ", allowed) + ")"));
            }
        }
    }

    private RawAttr required(RawElement e, Map<String, RawAttr> byName, String name) throws WxmlException {
        RawAttr a = byName.get(name);
        if (a == null) {
            throw error(e.start, "<" + e.tag + "> needs " + name);
        }
        return a;
    }

    private void noChildren(RawElement e) throws WxmlException {
        if (!e.children.isEmpty()) {
            throw error(e.start, "<" + e.tag + "> has no content");
        }
    }

    private static final List<String> EVENT_PREFIXES = List.of("capture-catch", "capture-bind", "mut-bind", "catch", "bind");

    private static TEventBinding.Kind kind(String prefix) {
        return switch (prefix) {
            case "bind" -> TEventBinding.Kind.BIND;
            case "catch" -> TEventBinding.Kind.CATCH;
            case "capture-bind" -> TEventBinding.Kind.CAPTURE_BIND;
            case "capture-catch" -> TEventBinding.Kind.CAPTURE_CATCH;
            case "mut-bind" -> TEventBinding.Kind.MUT_BIND;
            default -> throw new IllegalArgumentException(prefix);
        };
    }

    private TElement element(RawElement e, List<RawAttr> attrs, Pos pos) throws WxmlException {
        List<TAttr> plainAttrs = new ArrayList<>();
        List<TEventBinding> events = new ArrayList<>();
        Map<String, Binding> dataset = new LinkedHashMap<>();
        Map<String, Binding> marks = new LinkedHashMap<>();
        TClass cls = null;
        Binding style = null;
        Binding id = null;
        for (RawAttr a : attrs) {
            String n = a.name;
            int colon = n.indexOf(':');
            if (colon >= 0) {
                String prefix = n.substring(0, colon);
                String rest = n.substring(colon + 1);
                if (rest.isEmpty() || rest.indexOf(':') >= 0) {
                    throw error(a.start, "attribute " + n + " has one prefix and a name");
                }
                if (EVENT_PREFIXES.contains(prefix)) {
                    event(events, a, rest, kind(prefix));
                } else if (prefix.equals("mark")) {
                    if (marks.put(rest, a.value) != null) {
                        throw error(a.start, "duplicate mark " + rest);
                    }
                } else if (prefix.equals("generic") || prefix.equals("model")) {
                    plainAttrs.add(new TAttr(n, a.value, pos(a.start)));
                } else {
                    throw error(a.start, "unknown attribute prefix " + prefix
                            + ": (known: bind, catch, capture-bind, capture-catch, mut-bind, mark, generic, model)");
                }
                continue;
            }
            String eventPrefix = EVENT_PREFIXES.stream().filter(p -> n.startsWith(p) && n.length() > p.length()).findFirst().orElse(null);
            if (eventPrefix != null) {
                event(events, a, n.substring(eventPrefix.length()), kind(eventPrefix));
            } else if (n.startsWith("data-") && n.length() > 5) {
                String key = datasetKey(n.substring(5));
                if (dataset.put(key, a.value) != null) {
                    throw error(a.start, "two data- attributes name dataset key " + key);
                }
            } else if (n.equals("class")) {
                cls = new TClass(a.value);
            } else if (n.equals("style")) {
                style = a.value;
            } else if (n.equals("id")) {
                id = a.value;
            } else {
                plainAttrs.add(new TAttr(n, a.value, pos(a.start)));
            }
        }
        return new TElement(e.tag, plainAttrs, events, dataset, marks, cls, style, id, convert(e.children, false), pos);
    }

    private void event(List<TEventBinding> events, RawAttr a, String name, TEventBinding.Kind kind) throws WxmlException {
        if (!EVENT_NAME.matcher(name).matches()) {
            throw error(a.start, "event name " + name + " is a name like tap");
        }
        for (TEventBinding b : events) {
            if (b.event().equals(name) && b.kind() == kind) {
                throw error(a.start, "event " + name + " is bound twice the same way");
            }
        }
        events.add(new TEventBinding(name, kind, a.value));
    }

    /** WeChat's dataset name: lower-cased, then each '-' dropped and the next character upper-cased ({@code foo-bar} → {@code fooBar}). */
    static String datasetKey(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '-') {
                upper = true;
            } else if (upper) {
                sb.append(Character.toUpperCase(c));
                upper = false;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
