package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.audit.AuditEventType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Entry bytes are canonical JSON (RFC 8785; core CanonicalJsonTest tests the encoding) and entry fields hold only identifiers, codes and bounded text. */
class EntryFieldsTest {
    private static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-000000000001");

    @Test
    void queuedFieldsRoundTripToTheSameBytes() {
        EntryFields fields = new EntryFields(EVENT, AuditEventType.SIGN_IN_PASSWORD).outcome("failure").reason("wrong-password")
                .actor(EVENT).sealed(EVENT, "AAAA").address("0123456789abcdef0123456789abcdef");
        String json = fields.json();
        assertThat(CanonicalJson.text(CanonicalJson.toMap(JsonMapper.builder().build().readTree(json)))).isEqualTo(json);
        assertThat(json).startsWith("{\"actor\":").contains("\"sealed\":{\"data\":\"AAAA\",\"subject\":");
    }

    @Test
    void fieldsRefuseFreeTextWhereACodeBelongs() {
        EntryFields fields = new EntryFields(EVENT, AuditEventType.RUNTIME_CALL);
        assertThatThrownBy(() -> EntryFields.legacy(EVENT, "Sign In")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.reason("wrong password")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.apiKey("capk_secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.address("198.51.100.7 x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.detail("x".repeat(EntryFields.TEXT_CHARS_MAX + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.detail("bad\u0000text")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fields.detail("lone \ud800 surrogate")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runtimeTextsAreCutNotRefused() {
        assertThat(RuntimeAuditSink.bounded("x".repeat(1000))).hasSize(EntryFields.TEXT_CHARS_MAX);
        assertThat(RuntimeAuditSink.bounded("a\u0000b\nc")).isEqualTo("abc");
        assertThat(RuntimeAuditSink.bounded("")).isNull();
        assertThat(RuntimeAuditSink.bounded("😀".repeat(200))).hasSize(EntryFields.TEXT_CHARS_MAX);
    }
}
