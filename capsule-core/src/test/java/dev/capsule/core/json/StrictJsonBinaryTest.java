package dev.capsule.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing a document with one large base64 member streamed out: as strict as parseObject. */
class StrictJsonBinaryTest {
    private static final String BLOB = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5});

    private static StrictJson.ObjectWithBinary parse(byte[] bytes) throws JsonFormatException {
        return StrictJson.parseObjectWithBinary(bytes, "doc", 1024, "blob", 16);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheBinaryMemberAndKeepsTheOthers() throws Exception {
        StrictJson.ObjectWithBinary parsed = parse(utf8("{\"a\":\"é\",\"blob\":\"" + BLOB + "\",\"n\":{\"x\":[1,2]}}"));
        assertThat(parsed.binary()).containsExactly(1, 2, 3, 4, 5);
        assertThat(parsed.object().requireString("a")).isEqualTo("é");
        assertThat(parsed.object().fieldNames()).containsExactly("a", "n");
    }

    @Test
    void refusesWhatParseObjectRefuses() {
        List<byte[]> bad = List.of(
                utf8("{\"blob\":\"" + BLOB + "\",\"blob\":\"" + BLOB + "\"}"),
                utf8("{\"a\":1,\"a\":2,\"blob\":\"" + BLOB + "\"}"),
                utf8("\uFEFF{\"blob\":\"" + BLOB + "\"}"),
                "{\"blob\":\"AQID\"}".getBytes(StandardCharsets.UTF_16BE),
                "{\"blob\":\"AQID\"}".getBytes(StandardCharsets.UTF_16LE),
                utf8(" {\"blob\":\"" + BLOB + "\"}"),
                utf8("{\"blob\":\"" + BLOB + "\"} {}"),
                utf8("{\"blob\":\"" + BLOB + "\""),
                utf8("{\"blob\":12}"),
                utf8("{\"blob\":\"!!!!\"}"),
                utf8("{\"a\":1}"),
                utf8("{\"blob\":\"" + Base64.getEncoder().encodeToString(new byte[17]) + "\"}"),
                utf8("{\"blob\":\"" + BLOB + "\",\"a\":\"" + "x".repeat(1100) + "\"}"));
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> parse(bytes)).as(new String(bytes, StandardCharsets.ISO_8859_1)).isInstanceOf(JsonFormatException.class);
        }
    }

    @Test
    void refusesMalformedUtf8InsideStrings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("{\"blob\":\"" + BLOB + "\",\"a\":\""));
        out.writeBytes(new byte[] {(byte) 0xC3, 0x28});
        out.writeBytes(utf8("\"}"));
        assertThatThrownBy(() -> parse(out.toByteArray())).isInstanceOf(JsonFormatException.class);
        ByteArrayOutputStream overlong = new ByteArrayOutputStream();
        overlong.writeBytes(utf8("{\"blob\":\"" + BLOB + "\",\"a\":\""));
        overlong.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
        overlong.writeBytes(utf8("\"}"));
        assertThatThrownBy(() -> parse(overlong.toByteArray())).isInstanceOf(JsonFormatException.class);
    }

    @Test
    void theUtf8CheckFindsTheFirstBadByteAtEveryPositionOfAWord() {
        for (int at = 0; at < 24; at++) {
            for (byte[] bad : List.of(new byte[] {0}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    new byte[] {(byte) 0xE2, (byte) 0x82})) {
                byte[] text = utf8("a".repeat(at) + "b".repeat(30));
                System.arraycopy(bad, 0, text, at, bad.length);
                if (bad.length == 2 && bad[0] == (byte) 0xE2) {
                    text = java.util.Arrays.copyOf(text, at + 2); // a sequence cut by the end
                }
                assertThat(StrictJson.firstMalformedUtf8(text)).as("at " + at + ": " + java.util.HexFormat.of().formatHex(bad)).isEqualTo(at);
            }
            byte[] good = utf8("a".repeat(at) + "é€😀" + "b".repeat(20));
            assertThat(StrictJson.firstMalformedUtf8(good)).isEqualTo(-1);
        }
    }
}
