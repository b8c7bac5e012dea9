package dev.capsule.runtime.view.wxss;

import java.util.Objects;

/**
 * A construct the WXSS compiler dropped (a remote {@code url()}, {@code expression()}, an
 * {@code @import} of a URL, ...): the rest of the stylesheet still applies. Pack prints these as
 * warnings; they never refuse a package.
 *
 * @param path the package path of the stylesheet that contained it ({@code pages/a/a.wxss})
 * @param line its 1-based line in that file
 * @param message what was dropped and why (guest text in it is quoted and escaped)
 */
public record StyleWarning(String path, int line, String message) {
    public StyleWarning {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1");
        }
    }

    @Override
    public String toString() {
        return path + ":" + line + ": " + message;
    }
}
