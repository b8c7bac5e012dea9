package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxss.StyleSet;
import java.util.regex.Pattern;

/** Which guest class tokens reach an element: the backend's token syntax, never Capsule's reserved prefix. */
final class ClassTokens {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_-][A-Za-z0-9_-]*");

    private ClassTokens() {
    }

    static boolean valid(String token) {
        return !token.isEmpty() && TOKEN.matcher(token).matches() && !StyleSet.isReservedClass(token);
    }
}
