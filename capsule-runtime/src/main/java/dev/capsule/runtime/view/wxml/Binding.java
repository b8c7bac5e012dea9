package dev.capsule.runtime.view.wxml;

import java.util.List;

/**
 * An attribute value or text: plain text, text with {@code {{ }}} holes (evaluates to a string), or
 * exactly one {@code {{expr}}} and nothing else (keeps the value's type, as WeChat passes it to properties).
 */
public sealed interface Binding {
    /** Text without any {@code {{ }}}. */
    record Literal(String value) implements Binding {
    }

    /** Text mixed with expressions; evaluates to the concatenation, each hole through {@link JsValues#toText}. */
    record Interpolated(List<Part> parts) implements Binding {
        public Interpolated {
            parts = List.copyOf(parts);
        }
    }

    /** Exactly one {@code {{expr}}}, surrounded by nothing (not even spaces). */
    record Single(Expr expr) implements Binding {
    }

    /** A piece of an {@link Interpolated}. */
    sealed interface Part {
    }

    /** Literal text. */
    record TextPart(String text) implements Part {
    }

    /** A {@code {{expr}}} hole. */
    record ExprPart(Expr expr) implements Part {
    }
}
