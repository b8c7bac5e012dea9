package dev.capsule.runtime.build;

import dev.capsule.core.text.SafeText;

/**
 * A source file cannot be built (a syntax error, or an ES module the compiler cannot turn into
 * CommonJS): where, and why. The message is one escaped line {@code file:line:column message}.
 */
public final class BuildException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final int line;
    private final int column;
    private final String detail;

    BuildException(String path, int line, int column, String detail) {
        super(SafeText.escape(path + ":" + line + ":" + column + " " + detail));
        this.path = path;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The package path of the file. */
    public String path() {
        return path;
    }

    /** 1-based line in the original source. */
    public int line() {
        return line;
    }

    /** 1-based column in the original source. */
    public int column() {
        return column;
    }

    /** What is wrong, unescaped (escape it wherever it is printed). */
    public String detail() {
        return detail;
    }
}
