package dev.capsule.runtime.internal;

import com.oracle.js.parser.ErrorManager;
import com.oracle.js.parser.Parser;
import com.oracle.js.parser.ParserException;
import com.oracle.js.parser.ScriptEnvironment;
import com.oracle.js.parser.Source;
import com.oracle.js.parser.ir.FunctionNode;

/**
 * The one parse setup for guest JavaScript: the text the engine compiles for a module and GraalJS's
 * own parser with the options of the sessions' contexts. The import check ({@link DynamicImports})
 * and the automated review ({@code dev.capsule.runtime.review}) both parse through here, so they
 * see exactly the tree the engine would build.
 *
 * <p>Security guarantees: {@link #parse} uses {@link DynamicImports#ECMASCRIPT_VERSION} and the lexical
 * options {@code DynamicImportsTest} pins to the engine's; {@link #moduleText} is the text the runtime
 * compiles for a module ({@code HostBridge} uses it), so line numbers in the tree are the source's.
 */
public final class GuestScripts {
    private static final ScriptEnvironment ENVIRONMENT = ScriptEnvironment.builder()
            .ecmaScriptVersion(DynamicImports.ECMASCRIPT_VERSION)
            .annexB(DynamicImports.ANNEX_B)
            .scripting(DynamicImports.SCRIPTING)
            .syntaxExtensions(DynamicImports.SYNTAX_EXTENSIONS)
            .v8Intrinsics(DynamicImports.V8_INTRINSICS)
            .shebang(DynamicImports.SHEBANG)
            // Grammar features on: where the engine accepts less, it refuses the text itself; a
            // check must never fail to see a construct the engine would run.
            .allowBigInt(true)
            .classFields(true)
            .privateFieldsIn(true)
            .importAttributes(true)
            .importAssertions(true)
            .build();

    private GuestScripts() {}

    /** A parsed script: the source (for line numbers of positions) and the program's tree. */
    public record Parsed(Source source, FunctionNode program) {}

    /**
     * The text the engine compiles for the module source {@code moduleSource}: a function of
     * {@code exports, require, module, __filename, __dirname}, opened on the source's first line.
     */
    public static String moduleText(String moduleSource) {
        return "(function (exports, require, module, __filename, __dirname) {" + moduleSource + "\n})";
    }

    /**
     * Parses {@code script} (a whole script, such as {@link #moduleText}) named {@code name}.
     *
     * @throws ParserException if GraalJS's parser refuses it (the first line of the message is
     *     "name:line:column description")
     * @throws StackOverflowError if it is nested too deeply to parse
     */
    public static Parsed parse(String name, String script) {
        Source source = Source.sourceFor(name, script);
        FunctionNode program = new Parser(ENVIRONMENT, source, new ErrorManager.ThrowErrorManager()).parse();
        return new Parsed(source, program);
    }

    /**
     * Parses {@code text} as an ES module (the module goal: strict, import and export declarations)
     * named {@code name}, as WeChat's tools read a file before compiling it to CommonJS.
     *
     * @throws ParserException if it is not a valid module
     * @throws StackOverflowError if it is nested too deeply to parse
     */
    public static Parsed parseModule(String name, String text) {
        Source source = Source.sourceFor(name, text);
        FunctionNode program = new Parser(ENVIRONMENT, source, new ErrorManager.ThrowErrorManager()).parseModule(name);
        return new Parsed(source, program);
    }

    /** Characters {@link #moduleText} puts before the source on its first line (columns on line 1 shift by this). */
    public static int modulePrefixChars() {
        return moduleText("").indexOf('\n');
    }
}
