package dev.capsule.core.dsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.JsonFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsseEnvelopeTest {

    @Test
    void paeMatchesTheDsseSpecificationExample() {
        // secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world").
        byte[] pae = DsseEnvelope.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void paeCountsBytesNotCharacters() {
        byte[] pae = DsseEnvelope.pae("t", "é".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }

    @Test
    void jsonRoundTrips() throws Exception {
        var env = new DsseEnvelope("application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8),
                List.of(new DsseEnvelope.Signature("abc", new byte[] {1, 2, 3})));
        DsseEnvelope back = DsseEnvelope.parse(env.toJson(), "env");
        assertThat(back.payload()).isEqualTo(env.payload());
        assertThat(back.signatures().getFirst().sig()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(new String(env.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"keyid\":\"abc\",\"sig\":\"AQID\"}]}");
    }

    @Test
    void parseRejectsUnknownFieldsBadBase64AndDuplicates() {
        assertThatThrownBy(() -> DsseEnvelope.parse("{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[],\"x\":1}".getBytes(StandardCharsets.UTF_8), "env"))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("unknown field 'x'");
        assertThatThrownBy(() -> DsseEnvelope.parse("{\"payload\":\"%%%\",\"payloadType\":\"t\",\"signatures\":[]}".getBytes(StandardCharsets.UTF_8), "env"))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> DsseEnvelope.parse("{\"payload\":\"e30=\",\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[]}".getBytes(StandardCharsets.UTF_8), "env"))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("Duplicate");
    }
}
