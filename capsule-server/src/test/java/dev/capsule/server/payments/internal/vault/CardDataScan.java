package dev.capsule.server.payments.internal.vault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for card numbers and card codes in clear in text (log lines, audit entries, a database dump in COPY text format).
 * A card number is found in any formatting: its digits with any single separator between them (space, hyphen, dot,
 * slash, underscore), the hex of its ASCII digits (how COPY shows a bytea holding it), or the base64 of its digits. A
 * card code is found where a code could be kept: a whole field or JSON value equal to it, a value labelled as a code
 * ({@code cvv}, {@code cvc}, {@code csc}, {@code code}), or a separate word of a log line.
 */
final class CardDataScan {
    private final List<Pattern> patterns = new ArrayList<>();

    CardDataScan(List<String> numbers, List<String> codes) {
        for (String number : numbers) {
            StringBuilder spaced = new StringBuilder();
            for (int i = 0; i < number.length(); i++) {
                spaced.append(i == 0 ? "" : "[ ./_-]?").append(number.charAt(i));
            }
            patterns.add(Pattern.compile("(?<![0-9])" + spaced + "(?![0-9])"));
            String hex = HexFormat.of().formatHex(number.getBytes(StandardCharsets.US_ASCII));
            patterns.add(Pattern.compile(Pattern.quote(hex) + "|" + Pattern.quote(hex.toUpperCase(Locale.ROOT))));
            patterns.add(Pattern.compile(Pattern.quote(Base64.getEncoder().withoutPadding()
                    .encodeToString(number.getBytes(StandardCharsets.US_ASCII)))));
        }
        for (String code : codes) {
            String quoted = Pattern.quote(code);
            // A whole COPY field (tab-separated) or a JSON value.
            patterns.add(Pattern.compile("(^|\\t)" + quoted + "(\\t|$)", Pattern.MULTILINE));
            patterns.add(Pattern.compile(":\\s*\"?" + quoted + "\"?\\s*[,}\\]]"));
            // Labelled as a code, in any case and with any separator.
            patterns.add(Pattern.compile("(?i)(cvv|cvc|csc|code)[^0-9\\n]{0,12}" + quoted + "(?![0-9])"));
            // A separate word (between spaces, quotes, brackets, '=' or ':').
            patterns.add(Pattern.compile("(?<=^|[\\s\"'=:\\[(,])" + quoted + "(?=$|[\\s\"',)\\]])", Pattern.MULTILINE));
        }
    }

    /** What was found in {@code text}, each as where it was and a short excerpt; empty when nothing. */
    List<String> find(String where, String text) {
        List<String> found = new ArrayList<>();
        for (Pattern pattern : patterns) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find() && found.size() < 20) {
                int from = Math.max(0, matcher.start() - 40);
                int to = Math.min(text.length(), matcher.end() + 40);
                found.add(where + ": …" + text.substring(from, to).replace('\n', ' ') + "…");
            }
        }
        return found;
    }
}
