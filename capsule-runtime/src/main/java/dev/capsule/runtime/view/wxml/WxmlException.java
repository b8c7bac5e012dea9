package dev.capsule.runtime.view.wxml;

import dev.capsule.core.text.SafeText;

/**
 * A template (or a component json) cannot be compiled: where, and why. {@link #getMessage()} is one
 * escaped line {@code path:line:col: message}, or {@code path: message} when no position applies
 * (line 0, e.g. a json file's unresolvable component).
 */
public final class WxmlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final int line;
    private final int col;
    private final String detail;

    public WxmlException(String path, int line, int col, String message) {
        super(SafeText.escape(line > 0 ? path + ":" + line + ":" + col + ": " + message : path + ": " + message));
        this.path = path;
        this.line = line;
        this.col = col;
        this.detail = message;
    }

    public WxmlException(String path, Pos pos, String message) {
        this(path, pos.line(), pos.col(), message);
    }

    /** The package path of the file. */
    public String path() {
        return path;
    }

    /** 1-based line, or 0 when the error has no position. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when the error has no position. */
    public int col() {
        return col;
    }

    /** What is wrong, unescaped (escape it wherever it is printed). */
    public String detail() {
        return detail;
    }
}
