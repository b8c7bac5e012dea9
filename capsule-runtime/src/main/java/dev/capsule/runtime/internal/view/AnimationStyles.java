package dev.capsule.runtime.internal.view;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What an {@code Animation}'s {@code export()} ({@code wx.createAnimation}, built in framework.js) means
 * as inline styles, when a template binds it to an element's {@code animation} attribute: the state
 * after its last step, reached through CSS transitions. Each style property ({@code opacity},
 * {@code background-color}, {@code width}/{@code height}/{@code top}/{@code left}/{@code bottom}/{@code right})
 * takes the value its last step gave it; {@code transform} is the transform functions of the last step
 * that has any (a step's transform replaces the one before, as WeChat applies steps), with that step's
 * {@code transform-origin}; {@code transition} names each animated property with the duration and timing
 * function of the step that set it last and, as delay, that step's start (the durations and delays of the
 * steps before it) plus its own delay, so steps run one after another.
 * <p>
 * Closed by construction: only the types and argument shapes below are read; numbers are finite and at
 * most {@link #NUMBER_ABS_MAX}, lengths a number or a {@link #LENGTH} text, timing functions from
 * {@link #TIMING_FUNCTIONS}. Anything else (or an export past {@link #ACTIONS_MAX}/{@link #ANIMATES_MAX})
 * makes the whole animation mean nothing ({@link #styles} answers an empty map): a half-applied animation
 * would be a different one. The caller still passes every declaration through the backend's style checks.
 */
final class AnimationStyles {
    /** Steps one export may have. */
    static final int ACTIONS_MAX = 64;
    /** Calls (animates) one step may have. */
    static final int ANIMATES_MAX = 64;
    /** The largest magnitude of a number argument (lengths in px, degrees, scales, ms). */
    static final double NUMBER_ABS_MAX = 1_000_000;
    /** A length given as text: a number and a unit. */
    static final Pattern LENGTH = Pattern.compile("-?(?:\\d{1,7}(?:\\.\\d{1,6})?|\\.\\d{1,6})(?:px|rpx|%|em|rem|vw|vh)");
    static final Set<String> TIMING_FUNCTIONS = Set.of("linear", "ease", "ease-in", "ease-in-out", "ease-out", "step-start", "step-end");
    private static final Set<String> LENGTH_STYLES = Set.of("width", "height", "top", "left", "bottom", "right");
    private static final Map<String, Integer> ANGLES = Map.of("rotate", 1, "rotateX", 1, "rotateY", 1, "rotateZ", 1, "skewX", 1, "skewY", 1, "skew", 2);
    private static final Map<String, Integer> LENGTHS = Map.of("translate", 2, "translateX", 1, "translateY", 1);
    private static final Map<String, Integer> NUMBERS = Map.of("scale", 2, "scaleX", 1, "scaleY", 1, "matrix", 6);

    private AnimationStyles() {}

    /** Whether {@code value} is an export ({@code {actions: [...]}}) rather than an ordinary attribute value. */
    static boolean isExport(JsonNode value) {
        return value != null && value.isObject() && value.path("actions").isArray();
    }

    private record Timing(double duration, String function, double start) {
        String text(String property) {
            return property + " " + number(duration) + "ms " + function + " " + number(start) + "ms";
        }
    }

    /** Thrown inside the mapping only: the export is not one this mapping reads. */
    private static final class Refused extends Exception {
        Refused() {
            super(null, null, false, false);
        }
    }

    /** The declarations (property → value, in first-animated order, {@code transition} last); empty if the export is refused. */
    static Map<String, String> styles(JsonNode export) {
        if (!isExport(export)) {
            return Map.of();
        }
        try {
            return map(export.get("actions"));
        } catch (Refused e) {
            return Map.of();
        }
    }

    private static Map<String, String> map(JsonNode actions) throws Refused {
        if (actions.size() > ACTIONS_MAX) {
            throw new Refused();
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Timing> timings = new LinkedHashMap<>();
        double at = 0;
        for (JsonNode action : actions) {
            JsonNode animates = action.path("animates");
            JsonNode transition = action.path("option").path("transition");
            if (!animates.isArray() || animates.size() > ANIMATES_MAX) {
                throw new Refused();
            }
            double duration = number(transition.path("duration"), 400);
            double delay = number(transition.path("delay"), 0);
            String function = transition.path("timingFunction").isMissingNode() ? "linear" : transition.path("timingFunction").asString("");
            if (duration < 0 || delay < 0 || !TIMING_FUNCTIONS.contains(function)) {
                throw new Refused();
            }
            Timing timing = new Timing(duration, function, at + delay);
            List<String> transforms = new ArrayList<>();
            for (JsonNode a : animates) {
                String type = a.path("type").asString("");
                JsonNode args = a.path("args");
                if (!args.isArray()) {
                    throw new Refused();
                }
                if (type.equals("style")) {
                    String property = args.path(0).asString("");
                    String value = styleValue(property, args.path(1));
                    values.remove(property); // keep the order of the last setting
                    values.put(property, value);
                    timings.remove(property);
                    timings.put(property, timing);
                } else {
                    transforms.add(transform(type, args));
                }
            }
            if (!transforms.isEmpty()) {
                values.put("transform", String.join(" ", transforms));
                timings.remove("transform");
                timings.put("transform", timing);
                JsonNode origin = action.path("option").path("transformOrigin");
                if (origin.isString()) {
                    values.put("transform-origin", origin.stringValue());
                }
            }
            at += duration + delay;
        }
        if (!values.isEmpty()) {
            List<String> parts = new ArrayList<>();
            timings.forEach((property, t) -> parts.add(t.text(property)));
            values.put("transition", String.join(",", parts));
        }
        return values;
    }

    private static String styleValue(String property, JsonNode v) throws Refused {
        return switch (property) {
            case "opacity" -> {
                double n = number(v, Double.NaN);
                if (!(n >= 0 && n <= 1)) {
                    throw new Refused();
                }
                yield number(n);
            }
            case "background-color" -> {
                if (!v.isString()) {
                    throw new Refused();
                }
                yield v.stringValue(); // a colour: the backend's style check decides
            }
            default -> {
                if (!LENGTH_STYLES.contains(property)) {
                    throw new Refused();
                }
                yield length(v);
            }
        };
    }

    private static String transform(String type, JsonNode args) throws Refused {
        List<String> out = new ArrayList<>();
        Integer n;
        if ((n = ANGLES.get(type)) != null) {
            for (int i = 0; i < n; i++) {
                out.add(number(number(args.path(i), Double.NaN)) + "deg");
            }
        } else if ((n = LENGTHS.get(type)) != null) {
            for (int i = 0; i < n; i++) {
                out.add(length(args.path(i)));
            }
        } else if ((n = NUMBERS.get(type)) != null) {
            for (int i = 0; i < n; i++) {
                out.add(number(number(args.path(i), Double.NaN)));
            }
        } else {
            throw new Refused();
        }
        if (args.size() != n) {
            throw new Refused();
        }
        return type + "(" + String.join(",", out) + ")";
    }

    private static String length(JsonNode v) throws Refused {
        if (v.isNumber()) {
            return number(number(v, Double.NaN)) + "px";
        }
        if (v.isString() && LENGTH.matcher(v.stringValue()).matches()) {
            return v.stringValue();
        }
        throw new Refused();
    }

    /** A number argument (missing: {@code fallback}); refused unless finite and within {@link #NUMBER_ABS_MAX}. */
    private static double number(JsonNode v, double fallback) throws Refused {
        if (v.isMissingNode() && !Double.isNaN(fallback)) {
            return fallback;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || Math.abs(v.doubleValue()) > NUMBER_ABS_MAX) {
            throw new Refused();
        }
        return v.doubleValue();
    }

    /** Plain decimal text, never an exponent (CSS has none in these positions). */
    private static String number(double n) {
        if (n == Math.rint(n)) {
            return Long.toString((long) n);
        }
        return BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
    }
}
