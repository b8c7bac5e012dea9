package dev.capsule.runtime.view.wxss;

import java.util.Objects;

/**
 * A stylesheet that cannot be compiled: a syntax error, an {@code @import} that does not resolve,
 * an import cycle or a breached limit. Pack refuses the package; {@link #getMessage()} is one line,
 * {@code path:line:col: message}, with guest text already escaped.
 */
public final class WxssException extends Exception {
    private final String path;
    private final int line;
    private final int column;
    private final String reason;

    public WxssException(String path, int line, int column, String reason) {
        super(Objects.requireNonNull(path, "path") + ":" + Math.max(1, line) + ":" + Math.max(1, column) + ": "
                + Objects.requireNonNull(reason, "reason"));
        this.path = path;
        this.line = Math.max(1, line);
        this.column = Math.max(1, column);
        this.reason = reason;
    }

    /** The package path of the stylesheet at fault. */
    public String path() {
        return path;
    }

    /** 1-based line. */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
