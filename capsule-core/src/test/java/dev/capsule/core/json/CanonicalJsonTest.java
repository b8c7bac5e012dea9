package dev.capsule.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8785 canonical form of log entries: sorted members, minimal escaping, one byte form per value set. */
class CanonicalJsonTest {
    @Test
    void sortsMembersAndEscapesMinimally() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "a\"b\\c\n\u0001é€😀");
        object.put("index", 5L);
        object.put("actor", null);
        object.put("paused", false);
        object.put("Zed", Map.of("b", "2", "a", 1));
        assertThat(CanonicalJson.text(object))
                .isEqualTo("{\"Zed\":{\"a\":1,\"b\":\"2\"},\"index\":5,\"paused\":false,\"type\":\"a\\\"b\\\\c\\n\\u0001é€😀\"}");
    }

    @Test
    void refusesValuesEntriesNeverHold() {
        assertThatThrownBy(() -> CanonicalJson.text(Map.of("x", 1.5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.text(Map.of("x", List.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.text(Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of()))))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsedCanonicalTextRoundTripsByteForByte() throws Exception {
        String text = "{\"a\":true,\"b\":-3,\"c\":{\"d\":\"é\"}}";
        assertThat(CanonicalJson.text(CanonicalJson.toMap(StrictJson.mapper().readTree(text)))).isEqualTo(text);
        assertThatThrownBy(() -> CanonicalJson.toMap(StrictJson.mapper().readTree("{\"a\":[1]}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.toMap(StrictJson.mapper().readTree("{\"a\":null}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
