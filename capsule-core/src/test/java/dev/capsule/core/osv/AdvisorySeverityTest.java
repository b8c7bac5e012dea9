package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdvisorySeverityTest {
    @ParameterizedTest
    @CsvSource({
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N, 6.8",
        "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N, 3.3",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:N, 0.0",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:O, 6.1"})
    void cvss3BaseScoresMatchTheSpecificationsCalculator(String vector, double score) {
        assertThat(Cvss3.baseScore(vector)).contains(score);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"})
    void malformedOrOtherVersionsHaveNoScore(String vector) {
        assertThat(Cvss3.baseScore(vector)).isEmpty();
    }

    private static Advisory advisory(String top, String affected) throws Exception {
        String json = "{\"id\":\"T-1\",\"modified\":\"2024-01-01T00:00:00Z\"" + top + ",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"}"
                + affected + "}]}";
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "t");
    }

    @Test
    void cvssOfNineOrMoreIsCriticalEvenIfTheDatabaseSaysLess() throws Exception {
        Advisory a = advisory(",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
                + "\"database_specific\":{\"severity\":\"MODERATE\"}", "");
        assertThat(AdvisorySeverity.of(a, PackageRef.of("npm", "x"))).isEqualTo(AdvisorySeverity.CRITICAL);
    }

    @Test
    void databaseCriticalIsCriticalWithoutAScore() throws Exception {
        assertThat(AdvisorySeverity.of(advisory(",\"database_specific\":{\"severity\":\"CRITICAL\"}", ""), PackageRef.of("npm", "x")))
                .isEqualTo(AdvisorySeverity.CRITICAL);
        assertThat(AdvisorySeverity.of(advisory(",\"database_specific\":{\"severity\":\"LOW\"}", ""), PackageRef.of("npm", "x")))
                .isEqualTo(AdvisorySeverity.LOW);
    }

    @Test
    void packageScoresReplaceTheAdvisorysAndUnknownStaysUnknown() throws Exception {
        Advisory a = advisory(",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]",
                ",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N\"}]");
        assertThat(AdvisorySeverity.of(a, PackageRef.of("npm", "x"))).isEqualTo(AdvisorySeverity.LOW);
        assertThat(AdvisorySeverity.of(advisory("", ""), PackageRef.of("npm", "x"))).isEqualTo(AdvisorySeverity.UNKNOWN);
    }
}
