package dev.capsule.runtime.internal.view;

/**
 * Rendering a page breached a view limit ({@link ViewEngine#FOR_ITEMS_MAX}, the page's node or depth
 * cap, a template expression's evaluation bound, ...) or the guest's templates cannot render (a
 * component whose template is missing). The message is one line naming the page and what was breached;
 * the session turns it into a violation. Nothing of the failed flush is emitted.
 */
public final class ViewRenderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ViewRenderException(String message) {
        super(message);
    }
}
