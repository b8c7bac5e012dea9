package dev.capsule.runtime.view.wxss;

import com.helger.css.decl.CSSSelector;
import com.helger.css.decl.CSSSelectorAttribute;
import com.helger.css.decl.CSSSelectorMemberFunctionLike;
import com.helger.css.decl.CSSSelectorMemberHost;
import com.helger.css.decl.CSSSelectorMemberHostContext;
import com.helger.css.decl.CSSSelectorMemberNot;
import com.helger.css.decl.CSSSelectorMemberPseudoHas;
import com.helger.css.decl.CSSSelectorMemberPseudoIs;
import com.helger.css.decl.CSSSelectorMemberPseudoWhere;
import com.helger.css.decl.CSSSelectorMemberSlotted;
import com.helger.css.decl.CSSSelectorSimpleMember;
import com.helger.css.decl.ECSSSelectorCombinator;
import com.helger.css.decl.ICSSSelectorMember;
import com.helger.css.writer.CSSWriterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a selector from ph-css's model with every compound scoped: the sheet's scope class is
 * appended to each compound (before a pseudo-element), also inside {@code :not()}, {@code :is()},
 * {@code :where()} and {@code :has()}; WXSS {@code page} becomes {@link StyleSet#PAGE_ROOT_CLASS};
 * {@code :host} becomes the component's {@link StyleSet#hostClass(String)}. So every compound requires
 * a class only Capsule assigns, and no rule matches an element outside the mini-program.
 */
final class SelectorScoper {
    private static final Pattern NAME = Pattern.compile("-?[a-zA-Z_][a-zA-Z0-9_-]*|\\*");
    private static final Pattern CLASS_OR_ID = Pattern.compile("[.#]-?[a-zA-Z_][a-zA-Z0-9_-]*|#[0-9][a-zA-Z0-9_-]*");
    private static final Pattern PSEUDO = Pattern.compile("::?-?[a-zA-Z][a-zA-Z0-9-]*");
    private static final Pattern NTH_ARGUMENT = Pattern.compile("[a-zA-Z0-9+\\- ]{1,40}");
    private static final Set<String> LEGACY_PSEUDO_ELEMENTS = Set.of(":before", ":after", ":first-line", ":first-letter");
    private static final CSSWriterSettings WRITER = new CSSWriterSettings();

    private final String scopeClass;
    private final String hostClass;

    SelectorScoper(String sheetPath) {
        this.scopeClass = StyleSet.scopeClass(sheetPath);
        this.hostClass = StyleSet.hostClass(sheetPath);
    }

    String scope(CSSSelector selector) throws Dropped {
        return write(selector, true);
    }

    private String write(CSSSelector selector, boolean scoped) throws Dropped {
        StringBuilder out = new StringBuilder();
        List<ICSSSelectorMember> compound = new ArrayList<>();
        for (ICSSSelectorMember member : selector.getAllMembers()) {
            if (member instanceof ECSSSelectorCombinator combinator) {
                if (!scoped) {
                    // only :host(…) writes unscoped, and its argument is one compound on the host element
                    throw new Dropped(":host() takes one compound selector, without combinators");
                }
                if (!compound.isEmpty()) {
                    out.append(compound(compound, scoped));
                    compound.clear();
                }
                out.append(combinator(combinator));
            } else if (member instanceof CSSSelector nested) {
                compound.addAll(nested.getAllMembers());
            } else {
                compound.add(member);
            }
        }
        if (compound.isEmpty()) {
            throw new Dropped("selector ends in a combinator");
        }
        out.append(compound(compound, scoped));
        return out.toString();
    }

    private static String combinator(ECSSSelectorCombinator combinator) {
        return switch (combinator) {
            case BLANK -> " ";
            case GREATER -> ">";
            case PLUS -> "+";
            case TILDE -> "~";
        };
    }

    private String compound(List<ICSSSelectorMember> members, boolean scoped) throws Dropped {
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        boolean host = false;
        for (ICSSSelectorMember member : members) {
            StringBuilder target = after.isEmpty() ? before : after;
            switch (member) {
                case CSSSelectorSimpleMember simple -> {
                    String value = simple.getValue();
                    if (simple.isElementName()) {
                        check(NAME, value, "element name");
                        // A type selector matches through the type class every rendered built-in carries (the view's
                        // Builtins.typeClass): a component renders as some HTML element, never as an element named view.
                        target.append(value.equals("*") ? "*" : value.equalsIgnoreCase("page") ? "." + StyleSet.PAGE_ROOT_CLASS
                                : "." + StyleSet.RESERVED_CLASS_PREFIX + value.toLowerCase(Locale.ROOT));
                    } else if (simple.isClass() || simple.isHash()) {
                        check(CLASS_OR_ID, value, "class or id");
                        if (simple.isClass() && StyleSet.isReservedClass(value.substring(1))) {
                            throw new Dropped("class names starting with " + StyleSet.RESERVED_CLASS_PREFIX + " are reserved for Capsule");
                        }
                        target.append(value);
                    } else if (simple.isPseudo()) {
                        String lower = value.toLowerCase(Locale.ROOT);
                        if (lower.equals(":host")) {
                            host = true;
                            target.append('.').append(hostClass);
                        } else if (lower.startsWith("::") || LEGACY_PSEUDO_ELEMENTS.contains(lower)) {
                            check(PSEUDO, value, "pseudo-element");
                            after.append(lower);
                        } else if (value.endsWith(")") && value.indexOf('(') > 0) {
                            target.append(pseudoFunction(value.substring(0, value.indexOf('(')),
                                    value.substring(value.indexOf('(') + 1, value.length() - 1)));
                        } else {
                            check(PSEUDO, value, "pseudo-class");
                            target.append(lower);
                        }
                    } else {
                        throw new Dropped("selector part " + Text.quote(value) + " is not supported");
                    }
                }
                case CSSSelectorAttribute attribute -> target.append(attribute(attribute));
                case CSSSelectorMemberNot not -> target.append(":not(").append(list(not.getAllSelectors())).append(')');
                case CSSSelectorMemberPseudoIs is -> target.append(":is(").append(write(is.getSelector(), true)).append(')');
                case CSSSelectorMemberPseudoWhere where -> target.append(":where(").append(write(where.getSelector(), true)).append(')');
                case CSSSelectorMemberPseudoHas has -> {
                    target.append(":has(");
                    if (has.getCombinator() != null && has.getCombinator() != ECSSSelectorCombinator.BLANK) {
                        target.append(combinator(has.getCombinator()));
                    }
                    target.append(list(has.getAllSelectors())).append(')');
                }
                case CSSSelectorMemberHost hostMember -> {
                    host = true;
                    target.append('.').append(hostClass);
                    if (hostMember.getSelector() != null) {
                        // :host(.x): the condition is on the host element itself, which carries the owner's scope
                        target.append(write(hostMember.getSelector(), false));
                    }
                }
                case CSSSelectorMemberFunctionLike function -> target.append(nth(function));
                case CSSSelectorMemberHostContext ignored -> throw new Dropped(":host-context() is not supported");
                case CSSSelectorMemberSlotted ignored -> throw new Dropped("::slotted() is not supported");
                default -> throw new Dropped("selector part " + Text.quote(member.getClass().getSimpleName()) + " is not supported");
            }
        }
        if (scoped && !host) {
            before.append('.').append(scopeClass);
        }
        return before.append(after).toString();
    }

    private String list(List<CSSSelector> selectors) throws Dropped {
        StringBuilder b = new StringBuilder();
        for (CSSSelector selector : selectors) {
            b.append(b.isEmpty() ? "" : ",").append(write(selector, true));
        }
        return b.toString();
    }

    private static String nth(CSSSelectorMemberFunctionLike function) throws Dropped {
        String name = function.getFunctionName();
        String bare = name.endsWith("(") ? name.substring(0, name.length() - 1) : name;
        String argument = function.getParameterExpression() == null ? "" : function.getParameterExpression().getAsCSSString(WRITER, 0);
        return pseudoFunction(bare, argument);
    }

    /** {@code :nth-child(2n+1)}, {@code :lang(zh)}: a plain name and an argument of letters, digits, signs. */
    private static String pseudoFunction(String name, String argument) throws Dropped {
        check(PSEUDO, name, "pseudo-class");
        String trimmed = argument.strip();
        if (!NTH_ARGUMENT.matcher(trimmed).matches()) {
            throw new Dropped("argument of " + Text.quote(name) + " is not supported");
        }
        return name.toLowerCase(Locale.ROOT) + "(" + trimmed + ")";
    }

    private static String attribute(CSSSelectorAttribute attribute) throws Dropped {
        if (attribute.getNamespacePrefix() != null && !attribute.getNamespacePrefix().isEmpty()) {
            throw new Dropped("namespaced attribute selectors are not supported");
        }
        String name = attribute.getAttrName();
        check(NAME, name, "attribute name");
        if (attribute.getOperator() == null) {
            return "[" + name + "]";
        }
        String raw = attribute.getAttrValue();
        String value = Text.unquote(raw);
        if (value == null) {
            value = Text.unescape(raw);
        }
        String operator = switch (attribute.getOperator()) {
            case EQUALS -> "=";
            case INCLUDES -> "~=";
            case DASHMATCH -> "|=";
            case BEGINMATCH -> "^=";
            case ENDMATCH -> "$=";
            case CONTAINSMATCH -> "*=";
        };
        return "[" + name + operator + Text.cssString(value) + "]";
    }

    private static void check(Pattern pattern, String value, String what) throws Dropped {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new Dropped(what + " " + Text.quote(String.valueOf(value)) + " is not supported");
        }
    }
}
