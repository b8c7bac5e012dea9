package dev.capsule.runtime.view.wxml;

/**
 * A 1-based position in a WXML file: line, and column counted in UTF-16 code units as editors show them.
 */
public record Pos(int line, int col) {
    public Pos {
        if (line < 1 || col < 1) {
            throw new IllegalArgumentException("positions are 1-based");
        }
    }

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
