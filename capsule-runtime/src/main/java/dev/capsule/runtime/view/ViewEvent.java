package dev.capsule.runtime.view;

import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A user interaction with one rendered node, on its way into the session (which resolves it to the
 * bound handlers exactly as a real tap: capture, bubble, catch, marks, dataset).
 *
 * @param target the node the interaction hit
 * @param type   the event name as WXML binds it ({@code tap}, {@code input}, {@code change}, ...)
 * @param detail the event's {@code detail} (an object; never {@code null}, an empty object when none)
 */
public record ViewEvent(ViewNodeId target, String type, JsonNode detail) {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public ViewEvent {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new ViewOpException("event type must match " + TYPE + ", got " + ViewOpException.quote(type));
        }
        if (!detail.isObject()) {
            throw new ViewOpException("event detail must be an object");
        }
    }
}
