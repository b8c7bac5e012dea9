package dev.capsule.runtime.view.wxml;

/** Parses the inside of one {@code {{ }}} into an {@link Expr}: glass-easel's grammar, anything else refused. */
public final class ExprParser {
    /** Characters of one expression. */
    public static final int EXPR_CHARS_MAX = 16 * 1024;
    /** Nesting depth of an expression (parentheses, operators, literals). */
    public static final int EXPR_DEPTH_MAX = 64;

    private ExprParser() {
    }

    /** Parses an expression; errors carry the path {@code expression} and the 1-based line and column in {@code source}. */
    public static Expr parse(String source) throws WxmlException {
        throw new UnsupportedOperationException("API only");
    }
}
