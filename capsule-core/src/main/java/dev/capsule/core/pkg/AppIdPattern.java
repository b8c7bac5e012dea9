package dev.capsule.core.pkg;

import dev.capsule.core.text.SafeText;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which app ids (capsule.json {@code id}) a trusted key may sign: one exact id, one namespace, or
 * every id. Storage, consent and every other per-app state are keyed by the app id, so a key that
 * could sign any id could read another developer's users' data; the host binds each developer key
 * to the ids it may claim ({@code --trust developer=dev.pub:com.example.*}).
 *
 * <p>The matching rule, exactly:
 * <ul>
 *   <li>{@code com.example.todo} (exact) matches only the id {@code com.example.todo};
 *   <li>{@code com.example.*} (namespace) matches every id that begins with {@code com.example.}
 *       followed by at least one more label ({@code com.example.todo}, {@code com.example.a.b}),
 *       and not {@code com.example} itself nor {@code com.examplex.todo}: labels are matched whole;
 *   <li>{@code *} matches every id: the explicit, unbound form.
 * </ul>
 * Comparison is exact, character by character: app ids are lower case by the manifest rule, and a
 * pattern with an upper-case letter is refused rather than folded. Refused as ambiguous or too broad:
 * a {@code *} anywhere but as the whole last label ({@code com.*.app}, {@code com.ex*}, {@code *.com}),
 * a namespace of fewer than two labels ({@code com.*}, which would hand out a whole top-level domain),
 * empty labels, and any character an app id cannot contain.
 *
 * <p>Security guarantees: {@link #matches} is true only under the rule above; a pattern that
 * parses is never ambiguous.
 */
public record AppIdPattern(String text) {
    /** The explicit "any app id" pattern. */
    public static final AppIdPattern ANY = new AppIdPattern("*");
    /** As capsule.json's id: a pattern cannot be longer than the ids it matches. */
    public static final int PATTERN_CHARS_MAX = 128;

    private static final String LABEL = "[a-z0-9][a-z0-9-]*";
    private static final Pattern EXACT = Pattern.compile("[a-z][a-z0-9-]*(\\." + LABEL + ")+");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]*(\\." + LABEL + ")+\\.\\*");

    public AppIdPattern {
        Objects.requireNonNull(text, "text");
        if (!text.equals("*") && (text.length() > PATTERN_CHARS_MAX
                || !(EXACT.matcher(text).matches() || NAMESPACE.matcher(text).matches()))) {
            throw new IllegalArgumentException(problem(text));
        }
    }

    /** Parses one pattern; the exception message says what is wrong in one line. */
    public static AppIdPattern parse(String text) {
        return new AppIdPattern(text);
    }

    /** Whether the key this pattern binds may sign a package with this app id. */
    public boolean matches(String appId) {
        Objects.requireNonNull(appId, "appId");
        if (text.equals("*")) {
            return true;
        }
        if (text.endsWith(".*")) {
            String prefix = text.substring(0, text.length() - 1); // keeps the dot: labels match whole
            return appId.length() > prefix.length() && appId.startsWith(prefix);
        }
        return appId.equals(text);
    }

    /** True for {@code *}. */
    public boolean matchesEveryId() {
        return text.equals("*");
    }

    private static String problem(String text) {
        String shown = "'" + SafeText.escape(text) + "'";
        if (text.isEmpty()) {
            return "an app id pattern is empty (use an id like com.example.todo, a namespace like com.example.*, or *)";
        }
        if (text.length() > PATTERN_CHARS_MAX) {
            return "app id pattern " + shown + " is longer than " + PATTERN_CHARS_MAX + " characters";
        }
        if (!text.equals(text.toLowerCase(java.util.Locale.ROOT))) {
            return "app id pattern " + shown + " has upper-case letters: app ids are lower case and patterns match them exactly";
        }
        if (text.matches("[a-z0-9-]+\\.\\*")) {
            return "app id pattern " + shown + " is too broad: a namespace needs at least two labels, like com.example.* (use * to trust every id, explicitly)";
        }
        if (text.contains("*")) {
            return "app id pattern " + shown + " is ambiguous: '*' may only be the whole pattern or the whole last label, like com.example.*";
        }
        return "app id pattern " + shown + " is not an app id (reverse-DNS in lower case, like com.example.todo) or a namespace (com.example.*)";
    }

    @Override
    public String toString() {
        return text;
    }
}
