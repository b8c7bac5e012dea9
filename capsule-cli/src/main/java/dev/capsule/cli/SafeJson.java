package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;

/**
 * JSON lines no line splitter can break (every --json output of the CLI goes through it): besides the escapes JSON requires, every character
 * {@link SafeText#isUnsafe} names (DEL, C1 controls such as U+0085, U+2028, U+2029, bidi and other
 * format characters) is written as a {@code \\uXXXX} escape. Jackson leaves those raw by default,
 * and JavaScript, Python's {@code str.splitlines} and many log viewers treat some of them as line breaks.
 */
final class SafeJson {
    private static final ObjectWriter WRITER = StrictJson.mapper().writer().with(new Escapes());

    private SafeJson() {}

    /** One line of JSON. */
    static String line(JsonNode node) {
        return WRITER.writeValueAsString(node);
    }

    /** JSON text made elsewhere (the runtime's data snapshots), made as safe as {@link #line} ({@link SafeText#jsonText}). */
    static String raw(String json) {
        return SafeText.jsonText(json);
    }

    private static final class Escapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        Escapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        /** Surrogates are left alone: a pair is one printable character, and halves never break a line. */
        @Override
        public SerializableString getEscapeSequence(int ch) {
            return !Character.isSurrogate((char) ch) && SafeText.isUnsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
