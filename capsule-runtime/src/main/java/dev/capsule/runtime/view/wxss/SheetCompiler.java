package dev.capsule.runtime.view.wxss;

import com.helger.css.ICSSSourceLocationAware;
import com.helger.css.decl.CSSDeclaration;
import com.helger.css.decl.CSSFontFaceRule;
import com.helger.css.decl.CSSImportRule;
import com.helger.css.decl.CSSKeyframesBlock;
import com.helger.css.decl.CSSKeyframesRule;
import com.helger.css.decl.CSSMediaExpression;
import com.helger.css.decl.CSSMediaQuery;
import com.helger.css.decl.CSSMediaRule;
import com.helger.css.decl.CSSNamespaceRule;
import com.helger.css.decl.CSSSelector;
import com.helger.css.decl.CSSStyleRule;
import com.helger.css.decl.CSSSupportsConditionDeclaration;
import com.helger.css.decl.CSSSupportsConditionNegation;
import com.helger.css.decl.CSSSupportsConditionNested;
import com.helger.css.decl.CSSSupportsRule;
import com.helger.css.decl.ECSSSupportsConditionOperator;
import com.helger.css.decl.ICSSSupportsConditionMember;
import com.helger.css.decl.ICSSTopLevelRule;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles one stylesheet ({@code app}, a page's, a component's): parses it and, depth first, the
 * package files it {@code @import}s, then writes every rule it keeps as {@link CssPiece}s.
 */
final class SheetCompiler {
    private static final Pattern KEYFRAMES_NAME = Pattern.compile("-?[a-zA-Z_][a-zA-Z0-9_-]*");
    private static final Pattern KEYFRAME_SELECTOR = Pattern.compile("from|to|(100|[0-9]{1,2})(\\.[0-9]+)?%");
    private static final Pattern URL_LIKE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");

    private final String sheetPath;
    private final Map<String, byte[]> files;
    private final List<StyleWarning> warnings;
    private final AssetUrls urls;
    private final SelectorScoper scoper;
    private final Map<String, String> keyframeNames = new HashMap<>();
    private final Map<String, String> ownKeyframes = new LinkedHashMap<>();
    private final ValueWriter values;
    private final List<CssPiece> out = new ArrayList<>();
    private final Map<String, SheetParser.Parsed> parsedFiles;
    private int chars;
    private int inlined;

    /** A top-level rule and the file it was written in; {@code media} is the {@code @import}'s media list. */
    private record Entry(String file, ICSSTopLevelRule rule, List<CSSMediaQuery> media) {
    }

    /** The result: pieces to write, and the keyframe names this sheet defines (guest name → emitted name). */
    record Result(List<CssPiece> pieces, Map<String, String> keyframes) {
    }

    private SheetCompiler(String sheetPath, Map<String, byte[]> files, AssetUrls urls, Map<String, String> appKeyframes,
            Map<String, SheetParser.Parsed> parsedFiles, List<StyleWarning> warnings) {
        this.sheetPath = sheetPath;
        this.parsedFiles = parsedFiles;
        this.files = files;
        this.urls = urls;
        this.warnings = warnings;
        this.scoper = new SelectorScoper(sheetPath);
        this.keyframeNames.putAll(appKeyframes);
        this.values = new ValueWriter(urls, keyframeNames);
    }

    /**
     * @param sheetPath the sheet's path without extension
     * @param appKeyframes keyframe names {@code app.wxss} defines, which pages and components may use
     * @param parsedFiles files parsed so far in this package (each file is parsed once)
     */
    static Result compile(String sheetPath, Map<String, byte[]> files, AssetUrls urls, Map<String, String> appKeyframes,
            Map<String, SheetParser.Parsed> parsedFiles, List<StyleWarning> warnings) throws WxssException {
        SheetCompiler compiler = new SheetCompiler(sheetPath, files, urls, appKeyframes, parsedFiles, warnings);
        String file = sheetPath + ".wxss";
        List<Entry> entries = new ArrayList<>();
        compiler.collect(file, files.get(file), List.of(), new ArrayDeque<>(), entries);
        for (Entry entry : entries) {
            compiler.nameKeyframes(entry.rule());
        }
        compiler.keyframeNames.putAll(compiler.ownKeyframes);
        for (Entry entry : entries) {
            compiler.topLevel(entry);
        }
        return new Result(List.copyOf(compiler.out), Map.copyOf(compiler.ownKeyframes));
    }

    private void collect(String file, byte[] bytes, List<CSSMediaQuery> media, Deque<String> chain, List<Entry> entries)
            throws WxssException {
        chain.addLast(file);
        if (++inlined > WxssCompiler.IMPORTED_FILES_PER_SHEET_MAX) {
            throw new WxssException(sheetPath + ".wxss", 1, 1, "more than " + WxssCompiler.IMPORTED_FILES_PER_SHEET_MAX
                    + " files imported into one stylesheet");
        }
        SheetParser.Parsed parsed = parsedFiles.get(file);
        if (parsed == null) {
            parsed = SheetParser.parse(file, bytes, warnings);
            parsedFiles.put(file, parsed);
            String text = parsed.lexed().text();
            String leading = text.substring(0, text.length() - text.stripLeading().length());
            if (text.stripLeading().regionMatches(true, 0, "@charset", 0, "@charset".length())) {
                // ph-css consumes @charset without a rule in its model
                warnings.add(new StyleWarning(file, 1 + (int) leading.chars().filter(c -> c == '\n').count(),
                        "dropped @charset: stylesheets are UTF-8"));
            }
            for (CSSNamespaceRule namespace : parsed.sheet().getAllNamespaceRules()) {
                warn(file, namespace, "dropped @namespace: not supported in WXSS");
            }
        }
        for (CSSImportRule imported : parsed.sheet().getAllImportRules()) {
            String location = imported.getLocationString().strip();
            int line = line(imported);
            if (URL_LIKE.matcher(location).find()) {
                warnings.add(new StyleWarning(file, line, "dropped @import of " + Text.quote(location)
                        + ": only package stylesheets can be imported"));
                continue;
            }
            String target = resolveImport(file, location, line);
            if (chain.contains(target)) {
                throw new WxssException(file, line, 1, "@import cycle: " + String.join(" -> ", chain) + " -> " + target);
            }
            if (chain.size() >= WxssCompiler.IMPORT_DEPTH_MAX) {
                throw new WxssException(file, line, 1, "@import chain deeper than " + WxssCompiler.IMPORT_DEPTH_MAX);
            }
            List<CSSMediaQuery> inner = new ArrayList<>(media);
            inner.addAll(imported.getAllMediaQueries());
            collect(target, files.get(target), inner, chain, entries);
        }
        for (ICSSTopLevelRule rule : parsed.sheet().getAllRules()) {
            entries.add(new Entry(file, rule, media));
        }
        chain.removeLast();
    }

    private String resolveImport(String file, String location, int line) throws WxssException {
        String base = location.startsWith("/") ? "" : AssetUrls.directoryOf(file);
        String target = AssetUrls.normalize(base + location);
        if (target != null && !target.endsWith(".wxss") && files.containsKey(target + ".wxss")) {
            target = target + ".wxss";
        }
        if (target == null || !target.endsWith(".wxss") || !files.containsKey(target)) {
            throw new WxssException(file, line, 1, "@import " + Text.quote(location) + " is not a .wxss file of the package");
        }
        return target;
    }

    private void nameKeyframes(ICSSTopLevelRule rule) {
        if (rule instanceof CSSKeyframesRule keyframes) {
            String name = keyframesName(keyframes.getAnimationName());
            if (name != null) {
                ownKeyframes.put(name, StyleSet.scopeClass(sheetPath) + "-" + name);
            }
        } else if (rule instanceof CSSMediaRule media) {
            media.getAllRules().forEach(this::nameKeyframes);
        } else if (rule instanceof CSSSupportsRule supports) {
            supports.getAllRules().forEach(this::nameKeyframes);
        }
    }

    private static String keyframesName(String raw) {
        String name = Text.unquote(raw);
        name = name == null ? raw : name;
        return name != null && KEYFRAMES_NAME.matcher(name).matches() ? name : null;
    }

    private void topLevel(Entry entry) throws WxssException {
        if (entry.media().isEmpty()) {
            rule(entry.file(), entry.rule());
            return;
        }
        String query;
        try {
            query = mediaList(entry.file(), entry.media());
        } catch (Dropped d) {
            warn(entry.file(), entry.rule(), "dropped a rule of an @import with media " + d.getMessage());
            return;
        }
        emit(new CssPiece.Text("@media " + query + "{"));
        rule(entry.file(), entry.rule());
        emit(new CssPiece.Text("}"));
    }

    private void rule(String file, ICSSTopLevelRule rule) throws WxssException {
        switch (rule) {
            case CSSStyleRule style -> styleRule(file, style);
            case CSSMediaRule media -> {
                String query;
                try {
                    query = mediaList(file, media.getAllMediaQueries());
                } catch (Dropped d) {
                    warn(file, media, "dropped @media: " + d.getMessage());
                    return;
                }
                emit(new CssPiece.Text("@media " + query + "{"));
                for (ICSSTopLevelRule inner : media.getAllRules()) {
                    rule(file, inner);
                }
                emit(new CssPiece.Text("}"));
            }
            case CSSSupportsRule supports -> {
                String condition;
                try {
                    condition = supportsCondition(file, supports.getAllSupportConditionMembers());
                } catch (Dropped d) {
                    warn(file, supports, "dropped @supports: " + d.getMessage());
                    return;
                }
                emit(new CssPiece.Text("@supports " + condition + "{"));
                for (ICSSTopLevelRule inner : supports.getAllRules()) {
                    rule(file, inner);
                }
                emit(new CssPiece.Text("}"));
            }
            case CSSKeyframesRule keyframes -> keyframes(file, keyframes);
            case CSSFontFaceRule fontFace -> fontFace(file, fontFace);
            default -> warn(file, rule, "dropped " + Text.quote(ruleName(rule)) + ": not supported in WXSS");
        }
    }

    private static String ruleName(ICSSTopLevelRule rule) {
        return switch (rule) {
            case com.helger.css.decl.CSSPageRule ignored -> "@page";
            case com.helger.css.decl.CSSViewportRule viewport -> viewport.getDeclaration();
            case com.helger.css.decl.CSSUnknownRule unknown -> unknown.getDeclaration();
            default -> rule.getClass().getSimpleName();
        };
    }

    private void styleRule(String file, CSSStyleRule style) throws WxssException {
        List<String> selectors = new ArrayList<>();
        for (CSSSelector selector : style.getAllSelectors()) {
            try {
                selectors.add(scoper.scope(selector));
            } catch (Dropped d) {
                warn(file, selector, "dropped selector: " + d.getMessage());
            }
        }
        if (selectors.isEmpty()) {
            return;
        }
        List<CssPiece> declarations = declarations(file, style.getAllDeclarations(), false);
        if (declarations.isEmpty()) {
            return;
        }
        emit(new CssPiece.Text(String.join(",", selectors) + "{"));
        emitDeclarations(declarations);
        emit(new CssPiece.Text("}"));
    }

    private List<CssPiece> declarations(String file, List<CSSDeclaration> declarations, boolean fontFace) {
        List<CssPiece> kept = new ArrayList<>();
        for (CSSDeclaration declaration : declarations) {
            try {
                kept.add(values.declaration(declaration, file, fontFace));
            } catch (Dropped d) {
                warn(file, declaration, "dropped " + Text.quote(declaration.getProperty()) + ": " + d.getMessage());
            }
        }
        return kept;
    }

    private void emitDeclarations(List<CssPiece> declarations) throws WxssException {
        for (int i = 0; i < declarations.size(); i++) {
            if (i > 0) {
                emit(new CssPiece.Text(";"));
            }
            emit(declarations.get(i));
        }
    }

    private void keyframes(String file, CSSKeyframesRule keyframes) throws WxssException {
        String name = keyframesName(keyframes.getAnimationName());
        String at = keyframes.getDeclaration().toLowerCase(Locale.ROOT);
        if (name == null || !(at.equals("@keyframes") || at.equals("@-webkit-keyframes"))) {
            warn(file, keyframes, "dropped " + Text.quote(keyframes.getDeclaration()) + " with name "
                    + Text.quote(String.valueOf(keyframes.getAnimationName())) + ": not a plain name");
            return;
        }
        emit(new CssPiece.Text(at + " " + ownKeyframes.get(name) + "{"));
        for (CSSKeyframesBlock block : keyframes.getAllBlocks()) {
            List<String> selectors = new ArrayList<>();
            for (String selector : block.getAllKeyframesSelectors()) {
                String lower = selector.strip().toLowerCase(Locale.ROOT);
                if (KEYFRAME_SELECTOR.matcher(lower).matches()) {
                    selectors.add(lower);
                }
            }
            if (selectors.size() != block.getAllKeyframesSelectors().size()) {
                warn(file, keyframes, "dropped a keyframe with selector " + Text.quote(String.join(",", block.getAllKeyframesSelectors())));
                continue;
            }
            emit(new CssPiece.Text(String.join(",", selectors) + "{"));
            emitDeclarations(declarations(file, block.getAllDeclarations(), false));
            emit(new CssPiece.Text("}"));
        }
        emit(new CssPiece.Text("}"));
    }

    private void fontFace(String file, CSSFontFaceRule fontFace) throws WxssException {
        List<CssPiece> kept = new ArrayList<>();
        for (CSSDeclaration declaration : fontFace.getAllDeclarations()) {
            try {
                kept.add(values.declaration(declaration, file, true));
            } catch (Dropped d) {
                // A font face with one source dropped would load a different font: drop it whole.
                warn(file, fontFace, "dropped @font-face: " + d.getMessage());
                return;
            }
        }
        emit(new CssPiece.Text("@font-face{"));
        emitDeclarations(kept);
        emit(new CssPiece.Text("}"));
    }

    private String mediaList(String file, List<CSSMediaQuery> queries) throws Dropped {
        StringBuilder b = new StringBuilder();
        for (CSSMediaQuery query : queries) {
            b.append(b.isEmpty() ? "" : ",");
            StringBuilder q = new StringBuilder();
            if (query.isNot()) {
                q.append("not ");
            } else if (query.isOnly()) {
                q.append("only ");
            }
            String medium = query.getMedium();
            if (medium != null && !medium.isEmpty()) {
                q.append(ValueWriter.token(medium).toLowerCase(Locale.ROOT));
            }
            for (CSSMediaExpression expression : query.getAllMediaExpressions()) {
                if (!q.isEmpty() && !q.toString().endsWith(" ")) {
                    q.append(" and ");
                }
                q.append('(').append(ValueWriter.token(expression.getFeature()).toLowerCase(Locale.ROOT));
                if (expression.getValue() != null) {
                    q.append(':').append(values.plain(expression.getValue(), file));
                }
                q.append(')');
            }
            if (q.isEmpty()) {
                throw new Dropped("empty media query");
            }
            b.append(q);
        }
        return b.toString();
    }

    private String supportsCondition(String file, List<ICSSSupportsConditionMember> members) throws Dropped {
        StringBuilder b = new StringBuilder();
        for (ICSSSupportsConditionMember member : members) {
            switch (member) {
                case CSSSupportsConditionDeclaration declaration -> {
                    CssPiece.Declaration written = values.declaration(declaration.getDeclaration(), file, false);
                    b.append('(');
                    for (CssPiece part : written.parts()) {
                        if (!(part instanceof CssPiece.Text text)) {
                            throw new Dropped("url() is not allowed in a condition");
                        }
                        b.append(text.css());
                    }
                    b.append(')');
                }
                case ECSSSupportsConditionOperator operator -> b.append(operator == ECSSSupportsConditionOperator.AND ? " and " : " or ");
                case CSSSupportsConditionNegation negation ->
                        b.append("not ").append(supportsCondition(file, List.of(negation.getSupportsMember())));
                case CSSSupportsConditionNested nested -> b.append('(').append(supportsCondition(file, nested.getAllMembers())).append(')');
                default -> throw new Dropped("condition part " + Text.quote(member.getClass().getSimpleName()) + " is not supported");
            }
        }
        if (b.isEmpty()) {
            throw new Dropped("empty condition");
        }
        return b.toString();
    }

    private void emit(CssPiece piece) throws WxssException {
        chars += size(piece);
        if (chars > WxssCompiler.COMPILED_SHEET_CHARS_MAX) {
            throw new WxssException(sheetPath + ".wxss", 1, 1, "compiled stylesheet (imports inlined) is larger than "
                    + WxssCompiler.COMPILED_SHEET_CHARS_MAX + " characters");
        }
        out.add(piece);
    }

    private static int size(CssPiece piece) {
        return switch (piece) {
            case CssPiece.Text text -> text.css().length();
            case CssPiece.Asset asset -> asset.packagePath().length() + 8;
            case CssPiece.Declaration declaration -> declaration.parts().stream().mapToInt(SheetCompiler::size).sum();
        };
    }

    private void warn(String file, Object at, String message) {
        warnings.add(new StyleWarning(file, line(at), message));
    }

    private static int line(Object at) {
        if (at instanceof ICSSSourceLocationAware aware && aware.getSourceLocation() != null) {
            return Math.max(1, aware.getSourceLocation().getFirstTokenBeginLineNumber());
        }
        return 1;
    }
}
