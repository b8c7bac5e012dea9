package dev.capsule.runtime.view.wxml;

import tools.jackson.databind.JsonNode;

/**
 * Evaluates {@link Expr} with JavaScript's semantics over JSON values ({@code MissingNode} is
 * {@code undefined}). Security guarantees: evaluation runs no guest code but WXS calls through the
 * scope's {@link WxsCaller}; it takes at most {@link #EVAL_STEPS_MAX} steps and builds no string longer
 * than {@link #STRING_CHARS_MAX} characters, no array or object larger than {@link #COLLECTION_ENTRIES_MAX}
 * entries; a breach is an {@link EvalLimitException}. A missing path is {@code undefined}, never an error.
 */
public final class Interpreter {
    /** Steps (nodes visited plus elements copied by spreads) of one {@link #eval}. */
    public static final int EVAL_STEPS_MAX = 100_000;
    /** Characters of any string one evaluation builds. */
    public static final int STRING_CHARS_MAX = 1 << 20;
    /** Entries of an array or object one evaluation builds. */
    public static final int COLLECTION_ENTRIES_MAX = 10_000;

    private Interpreter() {
    }

    public static JsonNode eval(Expr expr, Scope scope) {
        throw new UnsupportedOperationException("API only");
    }
}
