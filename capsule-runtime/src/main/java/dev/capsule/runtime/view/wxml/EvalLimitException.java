package dev.capsule.runtime.view.wxml;

/**
 * Evaluating a template expression breached a bound ({@link Interpreter#EVAL_STEPS_MAX},
 * {@link Interpreter#STRING_CHARS_MAX}, ...). Unchecked: the engine catches it around a render and
 * reports the page as failed; it is never a reason to render a partial value.
 */
public final class EvalLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvalLimitException(String message) {
        super(message);
    }
}
