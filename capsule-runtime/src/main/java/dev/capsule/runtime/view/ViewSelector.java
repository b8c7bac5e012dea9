package dev.capsule.runtime.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small closed selector grammar over a view tree (used by {@code capsule render --events} and tests):
 * a comma-separated list of complex selectors; each is compounds joined by descendant (space) or child
 * ({@code >}) combinators; a compound is an optional tag ({@code view}, {@code my-item}, or {@code *})
 * followed by any of {@code #id}, {@code .class}, {@code [attr]}, {@code [attr=value]} (value bare or in
 * single or double quotes, without escapes). {@code [data-foo-bar=v]} matches the dataset entry
 * {@code fooBar}. Nothing else (no pseudo-classes, no {@code ~}/{@code +}, no escapes).
 */
public final class ViewSelector {
    /** Characters of one selector. */
    public static final int SELECTOR_CHARS_MAX = 1_024;
    /** Compounds in one complex selector (between commas). */
    public static final int COMPOUNDS_MAX = 32;

    private record Condition(char kind, String name, String value) {}

    private record Compound(String tag, List<Condition> conditions, boolean child) {}

    private final List<List<Compound>> alternatives;

    private ViewSelector(List<List<Compound>> alternatives) {
        this.alternatives = alternatives;
    }

    /**
     * @throws ViewOpException when the text is not in the grammar, naming the position
     */
    public static ViewSelector parse(String selector) {
        Objects.requireNonNull(selector, "selector");
        if (selector.length() > SELECTOR_CHARS_MAX) {
            throw new ViewOpException("selector longer than " + SELECTOR_CHARS_MAX + " characters");
        }
        return new Parser(selector).parse();
    }

    /** Matching elements under (and including) {@code root}, in document order. */
    public List<ViewNodeId> select(ViewNode.Element root) {
        var out = new ArrayList<ViewNodeId>();
        var path = new ArrayList<ViewNode.Element>();
        walk(root, path, out);
        return List.copyOf(out);
    }

    private void walk(ViewNode.Element element, List<ViewNode.Element> path, List<ViewNodeId> out) {
        path.add(element);
        for (List<Compound> alternative : alternatives) {
            byte[] memo = alternative.size() > 1 ? new byte[alternative.size() * path.size()] : null;
            if (matches(alternative, alternative.size() - 1, path, path.size() - 1, memo)) {
                out.add(element.id());
                break;
            }
        }
        for (ViewNode child : element.children()) {
            if (child instanceof ViewNode.Element e) {
                walk(e, path, out);
            }
        }
        path.removeLast();
    }

    /**
     * Whether compounds [0..c] match with compound c on path[p], right to left over the ancestors.
     * Memoized per (compound, ancestor), so a long descendant chain is linear in compounds times depth.
     */
    private static boolean matches(List<Compound> compounds, int c, List<ViewNode.Element> path, int p, byte[] memo) {
        int key = c * path.size() + p;
        if (memo != null && memo[key] != 0) {
            return memo[key] == 1;
        }
        boolean result = matchesUncached(compounds, c, path, p, memo);
        if (memo != null) {
            memo[key] = (byte) (result ? 1 : 2);
        }
        return result;
    }

    private static boolean matchesUncached(List<Compound> compounds, int c, List<ViewNode.Element> path, int p, byte[] memo) {
        if (!matchesCompound(compounds.get(c), path.get(p))) {
            return false;
        }
        if (c == 0) {
            return true;
        }
        if (compounds.get(c).child()) {
            return p > 0 && matches(compounds, c - 1, path, p - 1, memo);
        }
        for (int q = p - 1; q >= 0; q--) {
            if (matches(compounds, c - 1, path, q, memo)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesCompound(Compound compound, ViewNode.Element element) {
        if (compound.tag() != null && !compound.tag().equals(element.tag())) {
            return false;
        }
        for (Condition condition : compound.conditions()) {
            boolean ok = switch (condition.kind()) {
                case '#' -> condition.name().equals(element.attributes().get("id"));
                case '.' -> element.classes().contains(condition.name());
                default -> {
                    String actual = condition.name().startsWith("data-")
                            ? element.dataset().get(datasetKey(condition.name().substring(5)))
                            : element.attributes().get(condition.name());
                    yield actual != null && (condition.value() == null || condition.value().equals(actual));
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** WeChat's dataset naming: {@code data-foo-bar} is {@code fooBar} (hyphen-letter to upper case; the rest lower case). */
    static String datasetKey(String attributeSuffix) {
        var out = new StringBuilder();
        String lower = attributeSuffix.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char ch = lower.charAt(i);
            if (ch == '-' && i + 1 < lower.length()) {
                out.append(Character.toUpperCase(lower.charAt(++i)));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        ViewSelector parse() {
            var alternatives = new ArrayList<List<Compound>>();
            do {
                alternatives.add(complex());
            } while (eat(','));
            if (pos != text.length()) {
                throw error("unexpected " + ViewOpException.quote(text.substring(pos, pos + 1)));
            }
            return new ViewSelector(List.copyOf(alternatives));
        }

        private List<Compound> complex() {
            var compounds = new ArrayList<Compound>();
            skipSpaces();
            compounds.add(compound(false));
            while (true) {
                boolean spaced = skipSpaces();
                if (eat('>')) {
                    skipSpaces();
                    compounds.add(compound(true));
                } else if (spaced && pos < text.length() && text.charAt(pos) != ',') {
                    compounds.add(compound(false));
                } else {
                    return List.copyOf(compounds);
                }
                if (compounds.size() > COMPOUNDS_MAX) {
                    throw error("more than " + COMPOUNDS_MAX + " compounds");
                }
            }
        }

        private Compound compound(boolean child) {
            String tag = null;
            if (eat('*')) {
                tag = null;
            } else if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                tag = ident();
            } else if (pos >= text.length() || "#.[".indexOf(text.charAt(pos)) < 0) {
                throw error("expected a tag, #id, .class or [attribute]");
            }
            var conditions = new ArrayList<Condition>();
            while (pos < text.length()) {
                char ch = text.charAt(pos);
                if (ch == '#' || ch == '.') {
                    pos++;
                    conditions.add(new Condition(ch, ident(), null));
                } else if (ch == '[') {
                    pos++;
                    String name = ident();
                    String value = null;
                    if (eat('=')) {
                        value = value();
                    }
                    if (!eat(']')) {
                        throw error("expected ]");
                    }
                    conditions.add(new Condition('[', name, value));
                } else {
                    break;
                }
            }
            return new Compound(tag, List.copyOf(conditions), child);
        }

        private String ident() {
            int start = pos;
            while (pos < text.length() && isIdent(text.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a name");
            }
            return text.substring(start, pos);
        }

        private String value() {
            if (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'')) {
                char quote = text.charAt(pos++);
                int end = text.indexOf(quote, pos);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String value = text.substring(pos, end);
                if (value.indexOf('\\') >= 0) {
                    throw error("escapes are not supported");
                }
                pos = end + 1;
                return value;
            }
            int start = pos;
            while (pos < text.length() && isIdent(text.charAt(pos), false)) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a value");
            }
            return text.substring(start, pos);
        }

        private static boolean isIdent(char ch, boolean first) {
            return ch == '_' || ch == '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (!first && ch >= '0' && ch <= '9');
        }

        private boolean skipSpaces() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
            return pos > start;
        }

        private boolean eat(char ch) {
            if (pos < text.length() && text.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        private ViewOpException error(String message) {
            return new ViewOpException("selector " + ViewOpException.quote(text) + " at " + pos + ": " + message);
        }
    }
}
