package dev.capsule.core.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
     * For the few documents that carry a large base64 blob in one string (a release bundle's package): only
     * {@link #parseObject(byte[], String, int, int)} uses it, with its own explicit limit.
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
        return parseObject(bytes, what, bytesMax, STRING_CHARS_MAX);
    }

    /**
     * As {@link #parseObject(byte[], String, int)}, allowing strings of up to {@code stringCharsMax} characters
     * (at most 64 Mi): for documents that embed a large base64 blob. The caller checks each string's own limit.
     */
    public static JsonObject parseObject(byte[] bytes, String what, int bytesMax, int stringCharsMax) throws JsonFormatException {
        if (stringCharsMax > LARGE_STRING_CHARS_MAX) {
            throw new IllegalArgumentException("stringCharsMax above " + LARGE_STRING_CHARS_MAX);
        }
        JsonMapper mapper = stringCharsMax <= STRING_CHARS_MAX ? MAPPER : LARGE_STRINGS;
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
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new JsonFormatException(what + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new JsonFormatException(what + ": must be a JSON object");
        }
        return new JsonObject(node, what, "");
    }
}
