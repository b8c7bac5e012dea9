package dev.capsule.runtime.view.wxml;

import java.util.Map;

/**
 * Character references in WXML text and attribute values: {@code &#NN;}, {@code &#xHH;} and the named
 * references WeChat's {@code text decode} documents plus the common typographic ones. A reference that
 * is not one of these (or names no valid code point) stays literal text, as WeChat's compiler leaves it.
 */
final class Entities {
    /** Characters of a reference we try to decode, {@code &} and {@code ;} included. */
    static final int REFERENCE_CHARS_MAX = 12;

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"), Map.entry("ensp", "\u2002"), Map.entry("emsp", "\u2003"),
            Map.entry("thinsp", "\u2009"), Map.entry("zwnj", "\u200c"), Map.entry("zwj", "\u200d"),
            Map.entry("copy", "\u00a9"), Map.entry("reg", "\u00ae"), Map.entry("trade", "\u2122"),
            Map.entry("hellip", "\u2026"), Map.entry("mdash", "\u2014"), Map.entry("ndash", "\u2013"),
            Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201c"),
            Map.entry("rdquo", "\u201d"), Map.entry("laquo", "\u00ab"), Map.entry("raquo", "\u00bb"),
            Map.entry("middot", "\u00b7"), Map.entry("bull", "\u2022"), Map.entry("times", "\u00d7"),
            Map.entry("divide", "\u00f7"), Map.entry("plusmn", "\u00b1"), Map.entry("deg", "\u00b0"),
            Map.entry("sect", "\u00a7"), Map.entry("para", "\u00b6"), Map.entry("cent", "\u00a2"),
            Map.entry("pound", "\u00a3"), Map.entry("yen", "\u00a5"), Map.entry("euro", "\u20ac"),
            Map.entry("larr", "\u2190"), Map.entry("uarr", "\u2191"), Map.entry("rarr", "\u2192"),
            Map.entry("darr", "\u2193"), Map.entry("hearts", "\u2665"), Map.entry("hArr", "\u21d4"));

    private Entities() {
    }

    /** A decoded reference: its text and how many source characters it spans. */
    record Decoded(String text, int length) {
    }

    /** Decodes the reference starting at {@code at} (which holds {@code &}), or null when it is none. */
    static Decoded decode(String s, int at) {
        int semi = -1;
        for (int i = at + 1; i < s.length() && i - at < REFERENCE_CHARS_MAX; i++) {
            if (s.charAt(i) == ';') {
                semi = i;
                break;
            }
        }
        if (semi < 0) {
            return null;
        }
        String body = s.substring(at + 1, semi);
        int len = semi - at + 1;
        if (body.startsWith("#x") || body.startsWith("#X")) {
            return codePoint(body.substring(2), 16, len);
        }
        if (body.startsWith("#")) {
            return codePoint(body.substring(1), 10, len);
        }
        String named = NAMED.get(body);
        return named == null ? null : new Decoded(named, len);
    }

    private static Decoded codePoint(String digits, int radix, int len) {
        if (digits.isEmpty()) {
            return null;
        }
        int cp = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || !(digits.charAt(i) < 0x80)) {
                return null;
            }
            cp = cp * radix + d;
            if (cp > Character.MAX_CODE_POINT) {
                return null;
            }
        }
        if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
            return null;
        }
        return new Decoded(Character.toString(cp), len);
    }
}
