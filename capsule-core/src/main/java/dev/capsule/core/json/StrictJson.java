package dev.capsule.core.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses untrusted JSON documents strictly: UTF-8 only (no BOM, no UTF-16/32 auto-detection), duplicate keys rejected (a duplicate is how
 * two readers come to see two different documents), bounded size, depth and string length.
 */
public final class StrictJson {
    /** Nesting deeper than this is never needed by Capsule's documents. */
    public static final int NESTING_DEPTH_MAX = 32;
    /** No single string in Capsule's documents needs more. */
    public static final int STRING_CHARS_MAX = 1 << 20;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(NESTING_DEPTH_MAX)
                            .maxStringLength(STRING_CHARS_MAX)
                            .maxNumberLength(32)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * For the one large base64 member {@link #parseObjectWithBinary} decodes (a release bundle's package); that
     * method checks the member's own limit. The other members' values still come from the same parser, whose total
     * input the caller bounds.
     */
    private static final int LARGE_STRING_CHARS_MAX = 64 << 20;
    private static final JsonMapper LARGE_STRINGS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(NESTING_DEPTH_MAX)
                            .maxStringLength(LARGE_STRING_CHARS_MAX)
                            .maxNumberLength(32)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final java.lang.invoke.VarHandle LONG_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private StrictJson() {}

    /** The shared mapper for writing Capsule's own JSON (compact, insertion order). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses {@code bytes} as one JSON object.
     *
     * @param what the document's name for error messages, for example "capsule.json"
     * @param bytesMax the largest document accepted
     */
    public static JsonObject parseObject(byte[] bytes, String what, int bytesMax) throws JsonFormatException {
        if (bytes.length > bytesMax) {
            throw new JsonFormatException(what + ": larger than " + bytesMax + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonFormatException(what + ": not valid UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            throw new JsonFormatException(what + ": starts with a byte-order mark; save it as UTF-8 without BOM");
        }
        JsonNode node;
        try {
            // Parsing the decoded text, not the bytes: Jackson would auto-detect UTF-16 or UTF-32 in
            // bytes that also happen to be valid UTF-8, and read a different document.
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new JsonFormatException(what + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new JsonFormatException(what + ": must be a JSON object");
        }
        return new JsonObject(node, what, "");
    }

    /**
     * The index of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no
     * surrogates, nothing above U+10FFFF) or is NUL, or -1. A loop over bytes, not a decoder: no 2-chars-per-byte
     * buffer. NUL never occurs in JSON text and every UTF-16/32 encoding of '{' contains one, so after this check
     * Jackson's encoding detection can only choose UTF-8.
     */
    static int firstMalformedUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            // Fast path for the usual case (base64 and other ASCII): eight bytes at a time, none >= 0x80 and none NUL.
            if (i + Long.BYTES <= bytes.length) {
                long word = (long) LONG_VIEW.get(bytes, i);
                if ((word & 0x8080808080808080L) == 0 && ((word - 0x0101010101010101L) & ~word & 0x8080808080808080L) == 0) {
                    i += Long.BYTES;
                    continue;
                }
            }
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                if (b == 0) {
                    return i;
                }
                i++;
                continue;
            }
            int length;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + length > bytes.length) {
                return i;
            }
            int codePoint = b & (0x7f >> length);
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xff;
                if ((next & 0xc0) != 0x80) {
                    return i;
                }
                codePoint = (codePoint << 6) | (next & 0x3f);
            }
            if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** A JSON object whose one large base64 member was decoded while parsing, never held as a string. */
    public record ObjectWithBinary(JsonObject object, byte[] binary) {}

    /**
     * Parses {@code bytes} as one JSON object, as {@link #parseObject(byte[], String, int)} does, except that the
     * top-level member {@code binaryField}, a base64 string of at most {@code binaryBytesMax} decoded bytes, is
     * decoded straight from the input (for a release bundle's 20 MiB package: about three times faster than
     * building the string first, and 40 MB less garbage). The other members are in {@link ObjectWithBinary#object()}.
     *
     * <p>Same guarantees as {@link #parseObject}: UTF-8 only (the document must start with '{', so there is no BOM
     * and no UTF-16/32 auto-detection; malformed UTF-8 is refused before parsing), duplicate keys
     * rejected (including a second {@code binaryField}), bounded size and depth, nothing after the object.
     */
    public static ObjectWithBinary parseObjectWithBinary(byte[] bytes, String what, int bytesMax, String binaryField, int binaryBytesMax)
            throws JsonFormatException {
        if (bytes.length > bytesMax) {
            throw new JsonFormatException(what + ": larger than " + bytesMax + " bytes");
        }
        if (bytes.length == 0 || bytes[0] != '{') {
            throw new JsonFormatException(what + ": must be a JSON object in UTF-8, starting with '{' (no byte-order mark, no whitespace)");
        }
        int malformed = firstMalformedUtf8(bytes);
        if (malformed >= 0) {
            throw new JsonFormatException(what + ": not valid UTF-8 JSON text (at byte " + malformed + ")");
        }
        ObjectNode rest = MAPPER.createObjectNode();
        byte[] binary = null;
        try (JsonParser parser = LARGE_STRINGS.createParser(bytes)) {
            parser.nextToken();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(binaryField)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new JsonFormatException(what + ": " + binaryField + ": must be a base64 string");
                    }
                    binary = parser.getBinaryValue();
                    if (binary.length > binaryBytesMax) {
                        throw new JsonFormatException(what + ": " + binaryField + ": larger than " + binaryBytesMax + " bytes");
                    }
                } else {
                    rest.set(name, (JsonNode) parser.readValueAsTree());
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new JsonFormatException(what + ": not valid JSON: expected one object and nothing after it");
            }
        } catch (JacksonException e) {
            throw new JsonFormatException(what + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (binary == null) {
            throw new JsonFormatException(what + ": missing required field '" + binaryField + "'");
        }
        return new ObjectWithBinary(new JsonObject(rest, what, ""), binary);
    }
}
