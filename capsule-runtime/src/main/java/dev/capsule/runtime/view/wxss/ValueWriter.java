package dev.capsule.runtime.view.wxss;

import com.helger.css.decl.CSSDeclaration;
import com.helger.css.decl.CSSExpression;
import com.helger.css.decl.CSSExpressionMemberFunction;
import com.helger.css.decl.CSSExpressionMemberLineNames;
import com.helger.css.decl.CSSExpressionMemberMath;
import com.helger.css.decl.CSSExpressionMemberMathProduct;
import com.helger.css.decl.CSSExpressionMemberMathUnitProduct;
import com.helger.css.decl.CSSExpressionMemberMathUnitSimple;
import com.helger.css.decl.CSSExpressionMemberTermSimple;
import com.helger.css.decl.CSSExpressionMemberTermURI;
import com.helger.css.decl.ECSSExpressionOperator;
import com.helger.css.decl.ECSSMathOperator;
import com.helger.css.decl.ICSSExpressionMathMember;
import com.helger.css.decl.ICSSExpressionMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one declaration from ph-css's parsed value, checking every part: {@code url()} through
 * {@link AssetUrls}, function names against the dangerous ones, keyframe names renamed per sheet,
 * string tokens re-escaped. A part it will not write throws {@link Dropped} for the whole declaration.
 */
final class ValueWriter {
    private static final Pattern PROPERTY = Pattern.compile("-{0,2}[a-zA-Z_][a-zA-Z0-9_-]*");
    private static final Pattern FUNCTION_NAME = Pattern.compile("-?[a-zA-Z_][a-zA-Z0-9_-]*");
    /** Properties that run code or load documents in some browser. */
    private static final Set<String> BLOCKED_PROPERTIES = Set.of("behavior", "-ms-behavior", "-moz-binding", "binding");
    /** Functions that evaluate script or paint other elements of the document. */
    private static final Set<String> BLOCKED_FUNCTIONS = Set.of("expression", "element", "-moz-element", "-webkit-element");
    /** Functions whose string arguments are URLs. */
    private static final Set<String> URL_FUNCTIONS = Set.of("url", "src", "image-set", "-webkit-image-set");
    private static final Set<String> ANIMATION_PROPERTIES =
            Set.of("animation", "animation-name", "-webkit-animation", "-webkit-animation-name");

    private final AssetUrls urls;
    private final Map<String, String> keyframeNames;

    ValueWriter(AssetUrls urls, Map<String, String> keyframeNames) {
        this.urls = urls;
        this.keyframeNames = keyframeNames;
    }

    /** {@code name:value[ !important]} as a {@link CssPiece.Declaration}. */
    CssPiece.Declaration declaration(CSSDeclaration declaration, String fromFile, boolean fontFace) throws Dropped {
        String property = declaration.getProperty();
        if (!PROPERTY.matcher(property).matches()) {
            throw new Dropped("property name " + Text.quote(property) + " is not a plain CSS name");
        }
        String lower = property.toLowerCase(Locale.ROOT);
        if (BLOCKED_PROPERTIES.contains(lower) || lower.endsWith("-behavior") || lower.endsWith("-binding")) {
            throw new Dropped("property " + Text.quote(property) + " is not allowed (it can load code)");
        }
        List<CssPiece> parts = new ArrayList<>();
        parts.add(new CssPiece.Text((lower.startsWith("--") ? property : lower) + ":"));
        Context context = new Context(fromFile, ANIMATION_PROPERTIES.contains(lower), fontFace && lower.equals("src"));
        expression(declaration.getExpression(), context, parts);
        if (declaration.isImportant()) {
            parts.add(new CssPiece.Text(" !important"));
        }
        return new CssPiece.Declaration(parts);
    }

    /** A value that may not contain assets (media features, {@code @supports} conditions). */
    String plain(CSSExpression expression, String fromFile) throws Dropped {
        List<CssPiece> parts = new ArrayList<>();
        expression(expression, new Context(fromFile, false, false), parts);
        StringBuilder b = new StringBuilder();
        for (CssPiece part : parts) {
            if (!(part instanceof CssPiece.Text text)) {
                throw new Dropped("url() is not allowed in a condition");
            }
            b.append(text.css());
        }
        return b.toString();
    }

    private record Context(String fromFile, boolean animation, boolean fontSource) {
    }

    private void expression(CSSExpression expression, Context context, List<CssPiece> out) throws Dropped {
        if (expression == null) {
            throw new Dropped("empty value");
        }
        boolean needSpace = false;
        for (ICSSExpressionMember member : expression.getAllMembers()) {
            if (member instanceof ECSSExpressionOperator operator) {
                out.add(new CssPiece.Text(switch (operator) {
                    case COMMA -> ",";
                    case SLASH -> "/";
                    case EQUALS -> "=";
                }));
                needSpace = false;
                continue;
            }
            if (needSpace) {
                out.add(new CssPiece.Text(" "));
            }
            member(member, context, false, out);
            needSpace = true;
        }
    }

    private void member(ICSSExpressionMember member, Context context, boolean stringsAreUrls, List<CssPiece> out)
            throws Dropped {
        switch (member) {
            case CSSExpressionMemberTermURI uri ->
                    out.add(urls.resolve(uri.getURIString(), context.fromFile(), context.fontSource()));
            case CSSExpressionMemberTermSimple term -> term(term, context, stringsAreUrls, out);
            case CSSExpressionMemberMath math -> {
                out.add(new CssPiece.Text("calc("));
                mathMembers(math.getAllMembers(), context, out);
                out.add(new CssPiece.Text(")"));
            }
            case CSSExpressionMemberFunction function -> function(function, context, out);
            case CSSExpressionMemberLineNames names -> {
                StringBuilder b = new StringBuilder("[");
                for (String name : names.getAllMembers()) {
                    b.append(b.length() > 1 ? " " : "").append(token(name));
                }
                out.add(new CssPiece.Text(b.append(']').toString()));
            }
            default -> throw new Dropped("value part " + Text.quote(member.getClass().getSimpleName()) + " is not supported");
        }
    }

    private void term(CSSExpressionMemberTermSimple term, Context context, boolean stringsAreUrls, List<CssPiece> out)
            throws Dropped {
        String value = term.getValue();
        if (term.isStringLiteral()) {
            String text = Text.unquote(value);
            if (text == null) {
                throw new Dropped("malformed string");
            }
            if (stringsAreUrls) {
                CssPiece resolved = urls.resolve(text, context.fromFile(), context.fontSource());
                out.add(resolved);
            } else {
                out.add(new CssPiece.Text(Text.cssString(text)));
            }
            return;
        }
        String checked = token(value);
        if (context.animation() && keyframeNames.containsKey(checked)) {
            checked = keyframeNames.get(checked);
        }
        out.add(new CssPiece.Text(checked));
    }

    private void function(CSSExpressionMemberFunction function, Context context, List<CssPiece> out) throws Dropped {
        String name = function.getFunctionName();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("expression")) {
            throw new Dropped("expression() is not allowed");
        }
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw new Dropped("function name " + Text.quote(name) + " is not a plain CSS name");
        }
        if (BLOCKED_FUNCTIONS.contains(lower)) {
            throw new Dropped(lower + "() is not allowed");
        }
        boolean urlArguments = URL_FUNCTIONS.contains(lower);
        if (lower.equals("url") || lower.equals("src")) {
            // url("x") written as a function: its one string argument is the URL itself
            CSSExpression argument = function.getExpression();
            if (argument == null || argument.getMemberCount() != 1
                    || !(argument.getMemberAtIndex(0) instanceof CSSExpressionMemberTermSimple term) || !term.isStringLiteral()) {
                throw new Dropped(lower + "() must hold one string");
            }
            String url = Text.unquote(term.getValue());
            if (url == null) {
                throw new Dropped("malformed string");
            }
            out.add(urls.resolve(url, context.fromFile(), context.fontSource()));
            return;
        }
        out.add(new CssPiece.Text(lower + "("));
        if (function.hasExpression()) {
            boolean needSpace = false;
            for (ICSSExpressionMember member : function.getExpression().getAllMembers()) {
                if (member instanceof ECSSExpressionOperator operator) {
                    out.add(new CssPiece.Text(operator == ECSSExpressionOperator.COMMA ? "," : operator == ECSSExpressionOperator.SLASH ? "/" : "="));
                    needSpace = false;
                    continue;
                }
                if (needSpace) {
                    out.add(new CssPiece.Text(" "));
                }
                member(member, new Context(context.fromFile(), false, context.fontSource()), urlArguments, out);
                needSpace = true;
            }
        }
        out.add(new CssPiece.Text(")"));
    }

    private void mathMembers(List<? extends ICSSExpressionMathMember> members, Context context, List<CssPiece> out)
            throws Dropped {
        for (ICSSExpressionMathMember member : members) {
            switch (member) {
                case ECSSMathOperator operator -> out.add(new CssPiece.Text(switch (operator) {
                    case PLUS -> " + ";
                    case MINUS -> " - ";
                    case MULTIPLY -> " * ";
                    case DIVIDE -> " / ";
                }));
                case CSSExpressionMemberMathProduct product -> mathMembers(product.getAllMembers(), context, out);
                case CSSExpressionMemberMathUnitProduct unit -> {
                    out.add(new CssPiece.Text("("));
                    mathMembers(unit.getProduct().getAllMembers(), context, out);
                    out.add(new CssPiece.Text(")"));
                }
                case CSSExpressionMemberMathUnitSimple simple -> out.add(new CssPiece.Text(token(simple.getText())));
                case CSSExpressionMemberMath math -> {
                    out.add(new CssPiece.Text("calc("));
                    mathMembers(math.getAllMembers(), context, out);
                    out.add(new CssPiece.Text(")"));
                }
                case CSSExpressionMemberFunction function -> function(function, context, out);
                default -> throw new Dropped("calc() part " + Text.quote(member.getClass().getSimpleName()) + " is not supported");
            }
        }
    }

    /**
     * A non-string token as the parser read it (number, dimension, identifier, hash color): it can
     * hold no character that ends a declaration, a block or an HTML style element.
     */
    static String token(String value) throws Dropped {
        if (value == null || value.isEmpty()) {
            throw new Dropped("empty value token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || "<>{}();,\"'`".indexOf(c) >= 0 || c == '\u2028' || c == '\u2029') {
                throw new Dropped("value token " + Text.quote(value) + " is not a plain CSS token");
            }
        }
        return value;
    }
}
