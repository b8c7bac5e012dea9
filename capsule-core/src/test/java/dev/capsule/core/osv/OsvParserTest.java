package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.JsonFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsvParserTest {
    private static Advisory parse(String json) throws JsonFormatException {
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "a.json");
    }

    private static String withEvents(String events) {
        return "{\"id\":\"T-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
                + "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[" + events + "]}]}]}";
    }

    @Test
    void readsTheFieldsMatchingNeeds() throws Exception {
        Advisory a = parse("{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-02T03:04:05.123456Z\",\"published\":\"2024-01-01T00:00:00Z\","
                + "\"aliases\":[\"CVE-2024-1\"],\"summary\":\"Bad\",\"details\":\"ignored\",\"references\":[{\"type\":\"WEB\",\"url\":\"https://x\"}],"
                + "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
                + "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\",\"purl\":\"pkg:npm/x\"},\"versions\":[\"1.0.0\"],"
                + "\"database_specific\":{\"severity\":\"HIGH\"}}],\"database_specific\":{\"severity\":\"CRITICAL\"}}");
        assertThat(a.id()).isEqualTo("GHSA-aaaa-bbbb-cccc");
        assertThat(a.modified()).hasToString("2024-01-02T03:04:05.123456Z");
        assertThat(a.withdrawn()).isNull();
        assertThat(a.databaseSeverity()).isEqualTo("CRITICAL");
        assertThat(a.affected().getFirst().specificSeverity()).isEqualTo("HIGH");
        assertThat(a.affected().getFirst().pkg().purl()).isEqualTo("pkg:npm/x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"introduced\":\"0\",\"fixed\":\"1.0.0\"}|exactly one of",
        "{}|needs one of",
        "{\"fixed\":\"1.0.0\"}|at least one 'introduced'",
        "{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"},{\"last_affected\":\"0.9.0\"}|not both",
        "{\"introduced\":1}|must be a string",
        "{\"introduced\":\"\"}|1 to 256"})
    void refusesEventsTheSchemaForbids(String events, String reason) {
        assertThatThrownBy(() -> parse(withEvents(events))).isInstanceOf(JsonFormatException.class).hasMessageContaining(reason)
                .hasMessageContaining("affected[0].ranges[0]");
    }

    @Test
    void refusesUnknownRangeTypeAndGitWithoutRepo() {
        assertThatThrownBy(() -> parse(withEvents("{\"introduced\":\"0\"}").replace("SEMVER", "CALVER")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("'CALVER' is not a range type");
        assertThatThrownBy(() -> parse(withEvents("{\"introduced\":\"0\"}").replace("SEMVER", "GIT")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("needs 'repo'");
    }

    @Test
    void refusesMissingModifiedAndBadIds() {
        assertThatThrownBy(() -> parse("{\"id\":\"T-1\"}")).hasMessageContaining("missing required field 'modified'");
        assertThatThrownBy(() -> parse("{\"id\":\"T 1\\n\",\"modified\":\"2024-01-01T00:00:00Z\"}")).hasMessageContaining("id must be");
        assertThatThrownBy(() -> parse("{\"id\":\"T-1\",\"modified\":\"yesterday\"}")).hasMessageContaining("RFC 3339");
    }

    @Test
    void refusesOversizeAndDuplicateKeys() {
        byte[] big = ("{\"id\":\"T-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"details\":\"" + "x".repeat(OsvParser.ADVISORY_BYTES_MAX) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OsvParser.parse(big, "big.json")).hasMessageContaining("larger than");
        assertThatThrownBy(() -> parse("{\"id\":\"T-1\",\"id\":\"T-2\",\"modified\":\"2024-01-01T00:00:00Z\"}")).hasMessageContaining("not valid JSON");
    }
}
