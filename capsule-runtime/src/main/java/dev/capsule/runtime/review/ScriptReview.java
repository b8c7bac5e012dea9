package dev.capsule.runtime.review;

import com.oracle.js.parser.ParserException;
import com.oracle.js.parser.TokenType;
import com.oracle.js.parser.Source;
import com.oracle.js.parser.ir.AccessNode;
import com.oracle.js.parser.ir.BinaryNode;
import com.oracle.js.parser.ir.CallNode;
import com.oracle.js.parser.ir.Expression;
import com.oracle.js.parser.ir.IdentNode;
import com.oracle.js.parser.ir.IndexNode;
import com.oracle.js.parser.ir.LexicalContext;
import com.oracle.js.parser.ir.LiteralNode;
import com.oracle.js.parser.ir.Node;
import com.oracle.js.parser.ir.PropertyNode;
import com.oracle.js.parser.ir.TemplateLiteralNode;
import com.oracle.js.parser.ir.VarNode;
import com.oracle.js.parser.ir.visitor.NodeVisitor;
import dev.capsule.runtime.internal.Apis;
import dev.capsule.runtime.internal.GuestScripts;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The static analysis of one JavaScript file on the tree GraalJS's own parser builds from the text
 * the runtime compiles ({@link GuestScripts}): dynamic code, obfuscation signals, secrets, URLs,
 * unknown wx APIs and uses of personal-data APIs. Only the long-line signal reads the raw text.
 *
 * <p>What it cannot see (documented in docs/registry.md): values computed at run time
 * ({@code wx[name]}, {@code const w = wx; w.x}, destructured {@code wx}, strings built piece by piece).
 * Such code is flagged as obfuscation or dynamic code where the signals allow, and in every case the
 * runtime's policy still applies.
 */
final class ScriptReview {
    /** A line longer than this is an obfuscation signal. */
    static final int LINE_CHARS_MAX = 1000;
    /** The objects whose members are the globals ({@code globalThis.eval}). */
    private static final Set<String> GLOBALS = Set.of("globalThis", "window", "self", "global");
    private static final Set<String> TIMERS = Set.of("setTimeout", "setInterval");
    private static final SortedSet<String> PROVIDED = Apis.providedNames();
    private static final SortedSet<String> PERSONAL_DATA = Apis.personalDataNames();

    private ScriptReview() {}

    /** Reviews {@code text}, the source of package file {@code path}, into {@code scan}. */
    static void review(String path, String text, PackageScan scan) {
        longLines(path, text, scan.findings());
        GuestScripts.Parsed parsed;
        try {
            parsed = GuestScripts.parse(path, GuestScripts.moduleText(text));
        } catch (ParserException e) {
            String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            scan.findings().add(Rule.JS_UNPARSABLE, path, Math.max(e.getLineNumber(), 1),
                    "GraalJS cannot parse this file: " + Finding.quote(first));
            return;
        } catch (StackOverflowError e) {
            scan.findings().add(Rule.JS_UNPARSABLE, path, 1, "the code is nested too deeply to parse");
            return;
        } catch (RuntimeException e) {
            // Any other parser failure: the file is reported, never skipped, and the review goes on.
            scan.findings().add(Rule.JS_UNPARSABLE, path, 1, "GraalJS's parser failed on this file");
            return;
        }
        try {
            parsed.program().accept(new Visitor(path, parsed.source(), scan));
        } catch (StackOverflowError e) {
            scan.findings().add(Rule.JS_UNPARSABLE, path, 1, "the code is nested too deeply to analyse");
        }
    }

    private static void longLines(String path, String text, Findings findings) {
        int line = 1;
        int first = 0;
        int count = 0;
        int longest = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                int length = i - start;
                if (length > LINE_CHARS_MAX) {
                    count++;
                    longest = Math.max(longest, length);
                    if (first == 0) {
                        first = line;
                    }
                }
                line++;
                start = i + 1;
            }
        }
        if (count > 0) {
            findings.add(Rule.OBFUSCATION_LONG_LINE, path, first, count + " line(s) longer than " + LINE_CHARS_MAX
                    + " characters (the longest has " + longest + "): minified or packed code cannot be reviewed");
        }
    }

    private static final class Visitor extends NodeVisitor<LexicalContext> {
        private final String path;
        private final Source source;
        private final PackageScan scan;

        Visitor(String path, Source source, PackageScan scan) {
            super(new LexicalContext());
            this.path = path;
            this.source = source;
            this.scan = scan;
        }

        private int line(Node node) {
            return Math.max(source.getLine(node.getStart()), 1);
        }

        private void add(Rule rule, Node node, String explanation) {
            scan.findings().add(rule, path, line(node), explanation);
        }

        @Override
        public boolean enterIdentNode(IdentNode ident) {
            if (ident.isImportMeta()) {
                add(Rule.JS_DYNAMIC_IMPORT, ident, "import.meta: module loading at run time (the runtime refuses this module)");
            } else if (!ident.isPropertyName() && ident.getName().equals("eval")) {
                add(Rule.JS_EVAL, ident, "eval: code from strings");
            }
            return true;
        }

        @Override
        public boolean enterCallNode(CallNode call) {
            if (call.isImport() || call.isImportSource() || call.isImportDefer()) {
                add(Rule.JS_DYNAMIC_IMPORT, call, "import(): code loaded at run time (the runtime refuses this module)");
                return true;
            }
            Expression callee = call.getFunction();
            String global = globalName(callee);
            if ("Function".equals(global)) {
                add(Rule.JS_FUNCTION_CONSTRUCTOR, call, (call.isNew() ? "new Function(...)" : "Function(...)") + ": code from strings");
            } else if (callee instanceof AccessNode a && a.getProperty().equals("constructor") && !call.getArgs().isEmpty()) {
                add(Rule.JS_FUNCTION_CONSTRUCTOR, call, "x.constructor(...) with arguments: the usual way to reach Function and run code from strings");
            } else if (global != null && TIMERS.contains(global) && !call.getArgs().isEmpty() && stringy(call.getArgs().getFirst())) {
                add(Rule.JS_STRING_TIMER, call, global + " given a string: code from strings");
            }
            return true;
        }

        @Override
        public boolean enterAccessNode(AccessNode access) {
            if (access.getBase() instanceof IdentNode base && !base.isPropertyName()) {
                if (base.getName().equals("wx")) {
                    wx(access.getProperty(), access);
                } else if (GLOBALS.contains(base.getName()) && access.getProperty().equals("eval")) {
                    add(Rule.JS_EVAL, access, base.getName() + ".eval: code from strings");
                }
            }
            return true;
        }

        @Override
        public boolean enterIndexNode(IndexNode index) {
            if (index.getBase() instanceof IdentNode base && !base.isPropertyName() && base.getName().equals("wx")
                    && index.getIndex() instanceof LiteralNode<?> literal && literal.isString()) {
                wx(literal.getString(), index);
            }
            return true;
        }

        private void wx(String name, Node node) {
            if (!PROVIDED.contains(name)) {
                // An API left out by decision says why, from the registry (docs/runtime.md's table quotes the same reason).
                add(Rule.WX_UNKNOWN_API, node, "wx." + Finding.quote(name) + Apis.absentReason(name)
                        .map(reason -> " is absent from Capsule by decision (it is undefined at run time): " + reason)
                        .orElse(" is not an API Capsule provides (it is undefined at run time)"));
            } else if (PERSONAL_DATA.contains(name)) {
                scan.personalDataUse(name, path, line(node));
            }
        }

        @Override
        public boolean enterLiteralNode(LiteralNode<?> literal) {
            if (literal instanceof LiteralNode.ArrayLiteralNode array) {
                stringTable(array);
            } else if (literal.isString()) {
                string(literal.getString(), literal);
            }
            return true;
        }

        private void string(String value, Node node) {
            Signals.Shape shape = Signals.credential(value);
            if (shape != null) {
                add(shape.rule(), node, shape.rule().meaning().replace("`", "") + ": anyone can extract it from the package");
            }
            if (Signals.encodedPayload(value)) {
                add(Rule.OBFUSCATION_ENCODED_PAYLOAD, node, "a " + value.length() + "-character base64 or hex string: a packed or encoded payload");
            }
            for (Urls.Found url : Urls.find(value)) {
                Urls.Verdict verdict = Urls.judge(url, scan.allowedHosts());
                switch (verdict) {
                    case ALLOWED -> { }
                    case INSECURE -> add(Rule.NETWORK_INSECURE_URL, node,
                            "URL " + Finding.quote(url.text()) + " is not HTTPS/WSS: the runtime refuses plain connections");
                    case NOT_ALLOWED -> add(Rule.NETWORK_HOST_NOT_ALLOWED, node,
                            "URL " + Finding.quote(url.text()) + ": host " + Finding.quote(url.authority()) + " is not in capsule.json's network lists");
                }
            }
        }

        private void stringTable(LiteralNode.ArrayLiteralNode array) {
            List<Expression> elements = array.getElementExpressions();
            if (elements == null || elements.size() < Signals.TABLE_STRINGS_MIN) {
                return;
            }
            StringBuilder joined = new StringBuilder();
            int strings = 0;
            for (Expression e : elements) {
                if (e instanceof LiteralNode<?> l && l.isString()) {
                    strings++;
                    joined.append(l.getString());
                }
            }
            // Mostly strings (an obfuscator's table is all strings), and dense, random-looking text.
            if (strings >= Signals.TABLE_STRINGS_MIN && strings * 10 >= elements.size() * 9
                    && Signals.entropy(joined) >= Signals.TABLE_ENTROPY_BITS_MIN) {
                add(Rule.OBFUSCATION_STRING_TABLE, array, "an array of " + strings + " strings with "
                        + String.format(java.util.Locale.ROOT, "%.1f", Signals.entropy(joined)) + " bits of entropy per character: an obfuscator's string table");
            }
        }

        @Override
        public boolean enterVarNode(VarNode var) {
            if (var.getName() != null) {
                named(var.getName().getName(), var.getInit());
            }
            return true;
        }

        @Override
        public boolean enterBinaryNode(BinaryNode binary) {
            if (binary.isAssignment()) {
                Expression dest = binary.getAssignmentDest();
                String name = dest instanceof IdentNode i ? i.getName()
                        : dest instanceof AccessNode a ? a.getProperty()
                        : dest instanceof IndexNode x && x.getIndex() instanceof LiteralNode<?> l && l.isString() ? l.getString()
                        : null;
                named(name, binary.getAssignmentSource());
            }
            return true;
        }

        @Override
        public boolean enterPropertyNode(PropertyNode property) {
            if (!property.isComputed() || property.getKey() instanceof LiteralNode<?>) {
                named(property.getKeyName(), property.getValue());
            }
            return true;
        }

        /** A string assigned to a name: a generic secret if the name says so and the value looks random. */
        private void named(String name, Expression value) {
            if (value instanceof LiteralNode<?> l && l.isString() && Signals.credential(l.getString()) == null
                    && Signals.namedSecret(name, l.getString())) {
                add(Rule.SECRET_HIGH_ENTROPY, l, "a high-entropy string assigned to " + Finding.quote(name) + ": a hard-coded secret anyone can extract");
            }
        }

        /** The global a callee names: {@code f} or {@code globalThis.f} (and window, self, global); null otherwise. */
        private static String globalName(Expression callee) {
            if (callee instanceof IdentNode i && !i.isPropertyName()) {
                return i.getName();
            }
            if (callee instanceof AccessNode a && a.getBase() instanceof IdentNode b && GLOBALS.contains(b.getName())) {
                return a.getProperty();
            }
            return null;
        }

        /** True for a string literal, a template literal, or a {@code +} with a string on either side. */
        private static boolean stringy(Expression e) {
            return switch (e) {
                case LiteralNode<?> l -> l.isString();
                case TemplateLiteralNode t -> true;
                case BinaryNode b -> b.tokenType() == TokenType.ADD && (stringy(b.getLhs()) || stringy(b.getRhs()));
                default -> false;
            };
        }
    }
}
