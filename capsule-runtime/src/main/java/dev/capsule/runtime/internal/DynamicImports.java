package dev.capsule.runtime.internal;

import com.oracle.js.parser.ParserException;
import com.oracle.js.parser.Source;
import com.oracle.js.parser.ir.CallNode;
import com.oracle.js.parser.ir.FunctionNode;
import com.oracle.js.parser.ir.IdentNode;
import com.oracle.js.parser.ir.LexicalContext;
import com.oracle.js.parser.ir.visitor.NodeVisitor;

/**
 * Decides, on the parsed program, whether module code may be compiled: code that contains an
 * import call ({@code import(x)}, and the {@code import.source}/{@code import.defer} forms) or
 * {@code import.meta} never reaches the engine. GraalJS evaluates {@code import('data:text/javascript,…')}
 * even with eval disabled, and its module loader answers {@code data:} URLs before any file system
 * or option is consulted, so refusing the loads at run time is not possible with GraalJS 25; refusing
 * the syntax is. The decision is made on the tree built by GraalJS's own parser from exactly the text
 * the engine will compile, so there is no second grammar to disagree with: comments (HTML-like ones
 * included), strings, Unicode spaces and escapes are whatever the engine takes them to be, and the
 * text {@code import(} in a string or comment is not a call.
 *
 * <p>Security guarantees: {@link #refusal} returns null only for text that GraalJS's parser, with the
 * options the sessions' contexts use (the parse setup is {@link GuestScripts}'s) ({@link #ECMASCRIPT_VERSION} set on every context; the lexical
 * options at GraalJS's defaults, which {@code DynamicImportsTest} pins), parses without error into a
 * tree with no import call and no {@code import.meta}. Anything it cannot parse is refused: the
 * engine would refuse it too, and a text whose two parses could differ must never run.
 */
final class DynamicImports {
    /** The ECMAScript edition of every session's context ({@code js.ecmascript-version}) and of this check. */
    static final int ECMASCRIPT_YEAR = 2025;
    /** GraalJS's number for {@link #ECMASCRIPT_YEAR} (its editions count from ES5 = 5, ES2015 = 6). */
    static final int ECMASCRIPT_VERSION = ECMASCRIPT_YEAR - 2009;
    /**
     * Lexical options at the values the engine uses (GraalJS's defaults; they are experimental options a
     * sandboxed context may not set): Annex B's HTML-like comments on, Nashorn scripting ({@code #}
     * comments, heredocs), syntax extensions, V8 intrinsics ({@code %Name()}) and shebang lines off.
     */
    static final boolean ANNEX_B = true;
    static final boolean SCRIPTING = false;
    static final boolean SYNTAX_EXTENSIONS = false;
    static final boolean V8_INTRINSICS = false;
    static final boolean SHEBANG = false;

    private DynamicImports() {}

    /**
     * Null if {@code script} (the exact text the engine will compile, as a script) may run; otherwise
     * the message of the SyntaxError the guest gets instead, naming {@code name} and the line.
     */
    static String refusal(String name, String script) {
        Source source;
        FunctionNode program;
        try {
            GuestScripts.Parsed parsed = GuestScripts.parse(name, script);
            source = parsed.source();
            program = parsed.program();
        } catch (ParserException e) {
            // The first line ("name:line:column description"); the parser goes on to quote the source line.
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            return message.isBlank() ? name + ": syntax error" : message;
        } catch (StackOverflowError e) {
            return name + ": the code is nested too deeply to compile";
        }
        Finder finder = new Finder(source);
        try {
            program.accept(finder);
        } catch (StackOverflowError e) {
            return name + ": the code is nested too deeply to compile";
        }
        return finder.line == 0 ? null
                : name + ":" + finder.line + ": import() and import.meta are not allowed in mini-programs (code is never loaded at run time)";
    }

    /** Records the line of the first import call or import.meta in the tree. */
    private static final class Finder extends NodeVisitor<LexicalContext> {
        private final Source source;
        private int line;

        Finder(Source source) {
            super(new LexicalContext());
            this.source = source;
        }

        @Override
        public boolean enterCallNode(CallNode call) {
            if (call.isImport() || call.isImportSource() || call.isImportDefer()) {
                found(call.getLineNumber());
            }
            return line == 0;
        }

        @Override
        public boolean enterIdentNode(IdentNode ident) {
            if (ident.isImportMeta()) {
                found(source.getLine(ident.getStart()));
            }
            return line == 0;
        }

        private void found(int at) {
            if (line == 0) {
                line = Math.max(at, 1);
            }
        }
    }
}
