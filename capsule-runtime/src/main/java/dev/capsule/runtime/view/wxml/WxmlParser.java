package dev.capsule.runtime.view.wxml;

/**
 * The strict WXML parser: a hand-written tokenizer (WXML is not XML) into the typed IR.
 * Security guarantees: input is bounded ({@link #FILE_CHARS_MAX}, {@link #NODES_MAX}, {@link #DEPTH_MAX});
 * the only exception it throws for any input is {@link WxmlException} with a position.
 */
public final class WxmlParser {
    /** Characters of one WXML file. */
    public static final int FILE_CHARS_MAX = 1 << 20;
    /** Nodes (elements, texts, control nodes) of one file. */
    public static final int NODES_MAX = 50_000;
    /** Element nesting depth. */
    public static final int DEPTH_MAX = 128;

    private WxmlParser() {
    }

    public static WxmlFile parse(String path, String source) throws WxmlException {
        throw new UnsupportedOperationException("API only");
    }
}
