package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Range semantics beyond the schema's examples: limits, listings, several ranges, and what cannot be decided. */
class AffectedCheckTest {
    private static final PackageRef PKG = PackageRef.of("npm", "example");

    static Advisory advisory(String affectedBody) throws Exception {
        String json = "{\"id\":\"TEST-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"example\"},"
                + affectedBody + "}]}";
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    static String range(String type, String events) {
        return "{\"type\":\"" + type + "\",\"events\":[" + events + "]}";
    }

    @Test
    void limitBoundsTheRangeFromAbove() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"limit\":\"2.0.0\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "1.5.0")).isEqualTo(new Verdict.Affected(null));
        assertThat(AffectedCheck.check(a, PKG, "2.0.0")).as("limit is exclusive").isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(a, PKG, "0.9.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void versionAboveEveryLimitIsNotAffectedEvenIfNeverFixed() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"},{\"limit\":\"1.0.0\"},{\"limit\":\"2.0.0\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "1.5.0")).as("below one of several limits").isEqualTo(new Verdict.Affected(null));
        assertThat(AffectedCheck.check(a, PKG, "2.0.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void starLimitIsInfinity() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"limit\":\"*\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "99.0.0")).isEqualTo(new Verdict.Affected(null));
    }

    @Test
    void anyOfSeveralRangesOrTheListingMatches() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.1.0\"}") + ","
                + range("ECOSYSTEM", "{\"introduced\":\"2.0.0\"},{\"fixed\":\"2.0.3\"}") + "],\"versions\":[\"5.0.0\"]");
        assertThat(AffectedCheck.check(a, PKG, "1.0.5")).isEqualTo(new Verdict.Affected("1.1.0"));
        assertThat(AffectedCheck.check(a, PKG, "2.0.2")).isEqualTo(new Verdict.Affected("2.0.3"));
        assertThat(AffectedCheck.check(a, PKG, "5.0.0")).as("listed in versions").isEqualTo(new Verdict.Affected(null));
        assertThat(AffectedCheck.check(a, PKG, "1.5.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void semverRangeRefusesVersionsThatAreNotSemVer() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"1.0.2\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "v1.0.0")).as("SEMVER has no leading v").isInstanceOf(Verdict.Undetermined.class);
        assertThat(AffectedCheck.check(a, PKG, "1.0")).isInstanceOf(Verdict.Undetermined.class);
        assertThat(AffectedCheck.check(a, PKG, "1.0.0")).isEqualTo(new Verdict.Affected("1.0.2"));
    }

    @Test
    void unreadableEventVersionIsUndeterminedNotUnaffected() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"1.0.x\"}") + "]");
        Verdict v = AffectedCheck.check(a, PKG, "2.0.0");
        assertThat(v).isInstanceOf(Verdict.Undetermined.class);
        assertThat(((Verdict.Undetermined) v).reason()).contains("1.0.x");
    }

    @Test
    void affectedWinsOverUndeterminedInAnotherRange() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"bad\"}") + ","
                + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.0\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "2.0.0")).isEqualTo(new Verdict.Affected("3.0.0"));
    }

    @Test
    void recommendedFixLeavesEveryRangeTheVersionIsIn() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"0\"},{\"fixed\":\"1.2.0\"}") + ","
                + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.4.0\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "1.1.0")).isEqualTo(new Verdict.Affected("1.4.0"));
        assertThat(AffectedCheck.check(a, PKG, "0.5.0")).isEqualTo(new Verdict.Affected("1.2.0"));
    }

    @Test
    void introducedAndFixedAtTheSameVersionInDocumentOrderIsEmpty() throws Exception {
        Advisory a = advisory("\"ranges\":[" + range("SEMVER", "{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.0\"}") + "]");
        assertThat(AffectedCheck.check(a, PKG, "1.0.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void otherEcosystemsOrderingIsUndetermined() throws Exception {
        String json = "{\"id\":\"TEST-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"example\"},"
                + "\"ranges\":[" + range("ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"1.0\"}") + "]}]}";
        Advisory a = OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "pypi");
        Verdict v = AffectedCheck.check(a, PackageRef.of("PyPI", "example"), "0.5");
        assertThat(v).isInstanceOf(Verdict.Undetermined.class);
        assertThat(((Verdict.Undetermined) v).reason()).contains("PyPI");
    }
}
