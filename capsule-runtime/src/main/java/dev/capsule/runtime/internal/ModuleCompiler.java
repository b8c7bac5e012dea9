package dev.capsule.runtime.internal;

import com.oracle.js.parser.ParserException;
import com.oracle.js.parser.ir.Module;
import dev.capsule.core.text.SafeText;

/**
 * What WeChat's developer tools do to a script at upload, for one file: an ES module (a file with
 * {@code import} or {@code export} declarations, decided by GraalJS's own parser) is compiled to
 * CommonJS by Sucrase's {@code imports} transform (Babel-style interop: {@code exports.__esModule},
 * {@code default}); any other script is left as it is.
 *
 * <p>Security guarantees: the source is parsed, never run; a file larger than
 * {@link #SOURCE_CHARS_MAX} is refused before parsing; the compiled text keeps every line of the
 * original on its line (checked, so errors in a run name the original file:line), is at most
 * {@link #OUTPUT_CHARS_MAX} characters, and parses as the runtime's CommonJS module text. Every
 * failure is one escaped line {@code file:line:column message}.
 */
public final class ModuleCompiler {
    /** Largest script compiled, in characters (WeChat's limit for one file is 1 MiB). */
    public static final int SOURCE_CHARS_MAX = 1024 * 1024;
    /** Largest compiled output, in characters: Sucrase adds a few helpers and renames, far less than this. */
    public static final int OUTPUT_CHARS_MAX = 2 * SOURCE_CHARS_MAX;

    private ModuleCompiler() {}

    /** The outcome for one file. */
    public sealed interface Result {
        /** Not an ES module: packed as it is. */
        record CommonJs() implements Result {}

        /** An ES module compiled to CommonJS, line for line. */
        record Compiled(String code) implements Result {}

        /** The file cannot be packed: at {@code line} (1-based) and {@code column} (1-based), because of {@code message}. */
        record Failed(String path, int line, int column, String message) implements Result {
            /** One escaped line: {@code file:line:column message}. */
            public String text() {
                return SafeText.escape(path + ":" + line + ":" + column + " " + message);
            }
        }
    }

    /** Decides whether the script {@code path} is an ES module and compiles it if so. */
    public static Result compile(String path, String text) {
        if (text.length() > SOURCE_CHARS_MAX) {
            return failed(path, 1, 1, "the script has more than " + SOURCE_CHARS_MAX + " characters");
        }
        ParserException asScript;
        try {
            GuestScripts.parse(path, GuestScripts.moduleText(text));
            return new Result.CommonJs();
        } catch (ParserException e) {
            asScript = e;
        } catch (StackOverflowError e) {
            return failed(path, 1, 1, "the script is nested too deeply to parse");
        }
        Result.Failed scriptError = parserError(path, asScript, GuestScripts.modulePrefixChars());
        try {
            Module module = GuestScripts.parseModule(path, text).program().getModule();
            if (module == null || module.getImports().isEmpty() && module.getExports().isEmpty()) {
                return scriptError; // valid only as a module without imports or exports: not one WeChat compiles
            }
        } catch (ParserException e) {
            // Invalid both ways: the parse that got further is the one the author meant.
            int scriptPosition = asScript.getPosition() - GuestScripts.modulePrefixChars();
            return e.getPosition() > scriptPosition ? parserError(path, e, 0) : scriptError;
        } catch (StackOverflowError e) {
            return failed(path, 1, 1, "the script is nested too deeply to parse");
        }
        return compileModule(path, text);
    }

    /**
     * Compiles the TypeScript source {@code path} to CommonJS as WeChat's tools' TypeScript plugin does: types removed
     * (type-only imports elided), then ES module syntax to CommonJS, line for line. No type checking, as the plugin does
     * none either. Always {@link Result.Compiled} or {@link Result.Failed}: a {@code .ts} file is never packed as it is.
     */
    public static Result compileTypeScript(String path, String text) {
        if (text.length() > SOURCE_CHARS_MAX) {
            return failed(path, 1, 1, "the script has more than " + SOURCE_CHARS_MAX + " characters");
        }
        return transformed(path, text, SucraseCompiler.Syntax.TYPESCRIPT);
    }

    private static Result compileModule(String path, String text) {
        return transformed(path, text, SucraseCompiler.Syntax.JAVASCRIPT);
    }

    private static Result transformed(String path, String text, SucraseCompiler.Syntax syntax) {
        String what = syntax == SucraseCompiler.Syntax.TYPESCRIPT ? "the TypeScript source" : "the ES module";
        return switch (SucraseCompiler.transform(text, path, syntax)) {
            case SucraseCompiler.Output.TimedOut t ->
                    failed(path, 1, 1, "compiling " + what + " took longer than " + SucraseCompiler.TRANSFORM_MILLIS_MAX + " ms");
            case SucraseCompiler.Output.Error e -> failed(path, Math.max(e.line(), 1), e.column() + 1, e.message());
            case SucraseCompiler.Output.Code c -> checked(path, text, c.code());
        };
    }

    /** The compiled text only if it keeps the original's lines and is a module the runtime can compile. */
    private static Result checked(String path, String source, String code) {
        if (code.length() > OUTPUT_CHARS_MAX) {
            return failed(path, 1, 1, "the compiled module would have more than " + OUTPUT_CHARS_MAX + " characters");
        }
        if (code.lines().count() != source.lines().count()) {
            return failed(path, 1, 1, "the compiled module would not keep the source's line numbers");
        }
        try {
            GuestScripts.parse(path, GuestScripts.moduleText(code));
        } catch (ParserException e) {
            // Valid as a module but not as CommonJS, such as a top-level await: WeChat's tools refuse it too.
            Result.Failed f = parserError(path, e, GuestScripts.modulePrefixChars());
            return new Result.Failed(path, f.line(), f.column(), f.message() + " (after compiling to CommonJS)");
        } catch (StackOverflowError e) {
            return failed(path, 1, 1, "the compiled module is nested too deeply to parse");
        }
        return new Result.Compiled(code);
    }

    private static Result.Failed parserError(String path, ParserException e, int firstLineShift) {
        int line = Math.max(e.getLineNumber(), 1);
        int column = e.getColumnNumber() + 1 - (line == 1 ? firstLineShift : 0);
        String raw = e.getRawMessage() == null ? "syntax error" : e.getRawMessage().lines().findFirst().orElse("syntax error");
        return failed(path, line, Math.max(column, 1), raw);
    }

    private static Result.Failed failed(String path, int line, int column, String message) {
        return new Result.Failed(path, line, column, message);
    }
}
