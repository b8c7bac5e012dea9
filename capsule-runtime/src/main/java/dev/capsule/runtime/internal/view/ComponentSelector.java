package dev.capsule.runtime.internal.view;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The selectors {@code selectComponent}/{@code selectAllComponents} take: a comma-separated list of
 * compounds ({@code tag}, {@code #id}, {@code .class}, combined like {@code tag.a.b#c}) joined by the
 * descendant (space), child ({@code >}) and cross-component descendant ({@code >>>}) combinators.
 * Classes match the tokens as written in the template (before scoping); anything else is refused.
 */
final class ComponentSelector {
    /** Characters of one selector. */
    static final int SELECTOR_CHARS_MAX = 1_024;
    private static final Pattern TOKEN = Pattern.compile("\\s*(>>>|>|,)\\s*|\\s+|([A-Za-z][A-Za-z0-9_-]*)|#([A-Za-z0-9_-]+)|\\.([A-Za-z0-9_-]+)");

    enum Combinator { DESCENDANT, CHILD, DEEP }

    record Compound(String tag, String id, List<String> classes) {
        boolean matches(VNode.Elem e) {
            return (tag == null || tag.equals(e.tag)) && (id == null || id.equals(e.elementId))
                    && e.writtenClasses.containsAll(classes);
        }
    }

    /** Compounds left to right; {@code combinators.get(i)} joins compound i and i + 1. */
    record Complex(List<Compound> compounds, List<Combinator> combinators) {
        boolean deep() {
            return combinators.contains(Combinator.DEEP);
        }
    }

    private ComponentSelector() {
    }

    static List<Complex> parse(String selector) {
        if (selector == null || selector.isBlank() || selector.length() > SELECTOR_CHARS_MAX) {
            throw new IllegalArgumentException("a component selector is 1 to " + SELECTOR_CHARS_MAX + " characters");
        }
        String text = selector.strip();
        List<Complex> out = new ArrayList<>();
        List<Compound> compounds = new ArrayList<>();
        List<Combinator> combinators = new ArrayList<>();
        String tag = null;
        String id = null;
        List<String> classes = new ArrayList<>();
        Combinator pending = null;
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unsupported component selector at character " + (at + 1)
                        + " (supported: tag, #id, .class, descendant, >, >>>, comma)");
            }
            at = m.end();
            boolean empty = tag == null && id == null && classes.isEmpty();
            if (m.group(2) != null || m.group(3) != null || m.group(4) != null) {
                if (pending != null) {
                    combinators.add(pending);
                    pending = null;
                }
                if (m.group(2) != null) {
                    if (!empty) {
                        throw new IllegalArgumentException("a tag name comes first in a compound selector");
                    }
                    tag = m.group(2);
                } else if (m.group(3) != null) {
                    id = m.group(3);
                } else {
                    classes.add(m.group(4));
                }
                continue;
            }
            // a combinator or a comma ends the compound
            if (empty) {
                throw new IllegalArgumentException("a combinator without a selector before it");
            }
            compounds.add(new Compound(tag, id, List.copyOf(classes)));
            tag = null;
            id = null;
            classes = new ArrayList<>();
            String sep = m.group(1);
            if (",".equals(sep)) {
                out.add(new Complex(List.copyOf(compounds), List.copyOf(combinators)));
                compounds.clear();
                combinators.clear();
            } else {
                pending = sep == null ? Combinator.DESCENDANT : sep.equals(">") ? Combinator.CHILD : Combinator.DEEP;
            }
        }
        if (tag == null && id == null && classes.isEmpty()) {
            throw new IllegalArgumentException("a component selector ends with a compound");
        }
        compounds.add(new Compound(tag, id, List.copyOf(classes)));
        out.add(new Complex(List.copyOf(compounds), List.copyOf(combinators)));
        return List.copyOf(out);
    }

    /** Whether {@code e} matches, looking at ancestors no higher than {@code scope}'s template. */
    static boolean matches(Complex c, VNode.Elem e, Instance scope) {
        return match(c, c.compounds().size() - 1, e, scope);
    }

    private static boolean match(Complex c, int k, VNode.Elem e, Instance scope) {
        if (!c.compounds().get(k).matches(e)) {
            return false;
        }
        if (k == 0) {
            return true;
        }
        return switch (c.combinators().get(k - 1)) {
            case CHILD -> {
                VNode.Elem p = Events.parent(e);
                yield p != null && match(c, k - 1, p, scope);
            }
            case DESCENDANT -> {
                for (VNode.Elem p = Events.parent(e); p != null; p = Events.parent(p)) {
                    if (match(c, k - 1, p, scope)) {
                        yield true;
                    }
                }
                yield false;
            }
            case DEEP -> {
                for (VNode.Elem p = deepParent(e, scope); p != null; p = deepParent(p, scope)) {
                    if (match(c, k - 1, p, scope)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    /** The element parent, crossing out of component templates to their hosts, never above {@code scope}'s template. */
    private static VNode.Elem deepParent(VNode.Elem e, Instance scope) {
        VNode.Elem p = Events.parent(e);
        if (p != null) {
            return p;
        }
        return e.owner == scope ? null : e.owner.host;
    }
}
