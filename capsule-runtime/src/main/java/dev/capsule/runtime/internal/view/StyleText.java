package dev.capsule.runtime.internal.view;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits an inline {@code style} attribute into declarations ({@code a: b; c: d}): semicolons inside
 * parentheses or quotes do not split; property names are lower-cased; a later declaration of the same
 * property wins, as in CSS. Values are checked by the backend's rules afterwards, not here.
 */
final class StyleText {
    private StyleText() {
    }

    static Map<String, String> declarations(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : ';';
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                if (i < text.length()) {
                    continue;
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                continue;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth = Math.max(0, depth - 1);
            }
            if (ch == ';' && (depth == 0 || i == text.length())) {
                declaration(text.substring(start, Math.min(i, text.length())), out);
                start = i + 1;
            }
        }
        return out;
    }

    private static void declaration(String text, Map<String, String> out) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String property = text.substring(0, colon).trim();
        if (!property.startsWith("--")) {
            property = property.toLowerCase(Locale.ROOT); // custom properties are case-sensitive
        }
        String value = text.substring(colon + 1).trim();
        if (property.isEmpty() || value.isEmpty()) {
            return;
        }
        out.remove(property);
        out.put(property, value);
    }
}
