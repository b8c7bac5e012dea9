package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OSV schema's own examples (test resources osv-schema/, see its README for source and licence), evaluated. */
class OsvSchemaExamplesTest {
    private static final PackageRef PKG = PackageRef.of("npm", "example");

    static byte[] resource(String name) throws IOException {
        try (InputStream in = OsvSchemaExamplesTest.class.getResourceAsStream("/osv-schema/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** An advisory for npm "example" whose only affected entry has the schema example's ranges. */
    private static Advisory rangesExample(String key) throws Exception {
        JsonNode examples = JsonMapper.builder().build().readTree(resource("schema-md-range-examples.json"));
        String json = "{\"id\":\"EXAMPLE-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"example\"},"
                + "\"ranges\":" + examples.get(key) + "}]}";
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), key);
    }

    static Verdict check(Advisory advisory, String version) {
        return AffectedCheck.check(advisory, PKG, version);
    }

    @Test
    void unfixedExampleAffectsEveryVersion() throws Exception {
        // "The following expresses that "every possible version is affected"."
        Advisory a = rangesExample("unfixed");
        for (String v : new String[] {"0.0.0", "0.0.1-alpha", "1.0.0", "999.999.999"}) {
            assertThat(check(a, v)).as(v).isEqualTo(new Verdict.Affected(null));
        }
    }

    @Test
    void fixedExampleAffectsEverythingBeforeTheFix() throws Exception {
        // "The following expresses that "everything before 1.0.2" is affected."
        Advisory a = rangesExample("fixed");
        assertThat(check(a, "0.0.0")).isEqualTo(new Verdict.Affected("1.0.2"));
        assertThat(check(a, "1.0.1")).isEqualTo(new Verdict.Affected("1.0.2"));
        assertThat(check(a, "1.0.2-rc.1")).as("a pre-release sorts before its release").isEqualTo(new Verdict.Affected("1.0.2"));
        assertThat(check(a, "1.0.2")).isEqualTo(new Verdict.NotAffected());
        assertThat(check(a, "1.0.2+build.5")).as("build metadata does not count").isEqualTo(new Verdict.NotAffected());
        assertThat(check(a, "2.0.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void multipleRangeExampleAffectsBothIntervalsOnly() throws Exception {
        // "versions in the SemVer ranges [1.0.0, 1.0.2) or [3.0.0, 3.2.5) are affected. Everything else is unaffected."
        Advisory a = rangesExample("multiple");
        assertThat(check(a, "1.0.0")).isEqualTo(new Verdict.Affected("1.0.2"));
        assertThat(check(a, "1.0.1")).isEqualTo(new Verdict.Affected("1.0.2"));
        assertThat(check(a, "3.0.0")).isEqualTo(new Verdict.Affected("3.2.5"));
        assertThat(check(a, "3.2.4")).isEqualTo(new Verdict.Affected("3.2.5"));
        for (String v : new String[] {"0.9.9", "1.0.0-rc.1", "1.0.2", "2.9.9", "3.0.0-beta", "3.2.5", "4.0.0"}) {
            assertThat(check(a, v)).as(v).isEqualTo(new Verdict.NotAffected());
        }
    }

    @Test
    void lastAffectedIncludesThatVersionAndNamesNoFix() throws Exception {
        // "present in all versions of the package, up to and including version 2.1.214" (an npm ECOSYSTEM range here)
        Advisory a = rangesExample("last-affected");
        assertThat(check(a, "0.1.0")).isEqualTo(new Verdict.Affected(null));
        assertThat(check(a, "2.1.214")).isEqualTo(new Verdict.Affected(null));
        assertThat(check(a, "2.1.215")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void fixedExcludesThatVersion() throws Exception {
        // "In this case 2.1.214 is not vulnerable."
        Advisory a = rangesExample("last-affected-as-fixed");
        assertThat(check(a, "2.1.213")).isEqualTo(new Verdict.Affected("2.1.214"));
        assertThat(check(a, "2.1.214")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void gitRangesAreNotEvaluatedAgainstPackageVersions() throws Exception {
        // "GIT range inclusion queries cannot be answered without access to a copy of the underlying Git repository"
        for (String key : new String[] {"git-fixed", "git-limit"}) {
            Advisory a = rangesExample(key);
            assertThat(a.affected().getFirst().ranges().getFirst().type()).isEqualTo(RangeType.GIT);
            assertThat(check(a, "1.0.0")).as(key).isEqualTo(new Verdict.NotAffected());
        }
        // ... which is why the schema requires the versions list with them: that list is matched.
        String json = "{\"id\":\"EXAMPLE-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"example\"},"
                + "\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://github.com/owner/repo\",\"events\":[{\"introduced\":\"X\"},{\"fixed\":\"Y\"}]}],"
                + "\"versions\":[\"1.0.0\"]}]}";
        Advisory listed = OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "git");
        assertThat(check(listed, "1.0.0")).isEqualTo(new Verdict.Affected(null));
        assertThat(check(listed, "1.0.1")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void npmExampleFromGitHubsDatabase() throws Exception {
        Advisory a = OsvParser.parse(resource("schema-md-npm-example.json"), "npm example");
        PackageRef elliptic = PackageRef.of("npm", "elliptic");
        assertThat(a.id()).isEqualTo("GHSA-r9p9-mrjm-926w");
        assertThat(a.aliases()).containsExactly("CVE-2020-28498");
        assertThat(AffectedCheck.check(a, elliptic, "6.5.3")).isEqualTo(new Verdict.Affected("6.5.4"));
        assertThat(AffectedCheck.check(a, elliptic, "v6.5.3")).as("node-semver reads a leading v").isEqualTo(new Verdict.Affected("6.5.4"));
        assertThat(AffectedCheck.check(a, elliptic, "6.5.4")).isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(a, PackageRef.of("npm", "Elliptic"), "6.5.3")).as("names match exactly").isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(a, PackageRef.of("PyPI", "elliptic"), "6.5.3")).as("another ecosystem is another package")
                .isEqualTo(new Verdict.NotAffected());
        // CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N is 6.8, and GitHub says MODERATE.
        assertThat(AdvisorySeverity.of(a, elliptic)).isEqualTo(AdvisorySeverity.MEDIUM);
    }

    @Test
    void preReleaseIntroducedFromGitHubsConverterTests() throws Exception {
        Advisory a = OsvParser.parse(resource("ghsa-npm_greater_than.osv.json"), "jquery");
        PackageRef jquery = PackageRef.of("npm", "jquery");
        assertThat(AffectedCheck.check(a, jquery, "2.1.0")).isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(a, jquery, "2.1.1-0")).isEqualTo(new Verdict.Affected("3.0.0"));
        assertThat(AffectedCheck.check(a, jquery, "2.1.1-beta.1")).as("alphanumeric identifiers sort above numeric ones")
                .isEqualTo(new Verdict.Affected("3.0.0"));
        assertThat(AffectedCheck.check(a, jquery, "2.2.4")).isEqualTo(new Verdict.Affected("3.0.0"));
        assertThat(AffectedCheck.check(a, jquery, "3.0.0-rc1")).isEqualTo(new Verdict.Affected("3.0.0"));
        assertThat(AffectedCheck.check(a, jquery, "3.0.0")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void withdrawnAdvisoryNeverMatches() throws Exception {
        Advisory withdrawn = OsvParser.parse(resource("ghsa-withdrawn.osv.json"), "withdrawn");
        assertThat(withdrawn.isWithdrawn()).isTrue();
        assertThat(AffectedCheck.check(withdrawn, PackageRef.of("RubyGems", "activesupport"), "3.2.1")).isEqualTo(new Verdict.NotAffected());
        // The same npm advisory matches until it is withdrawn: the test cannot pass by never matching.
        String npm = new String(resource("schema-md-npm-example.json"), StandardCharsets.UTF_8);
        Advisory live = OsvParser.parse(npm.getBytes(StandardCharsets.UTF_8), "live");
        Advisory gone = OsvParser.parse(npm.replaceFirst("\"modified\"", "\"withdrawn\": \"2021-04-01T00:00:00Z\",\n  \"modified\"")
                .getBytes(StandardCharsets.UTF_8), "gone");
        assertThat(AffectedCheck.check(live, PackageRef.of("npm", "elliptic"), "6.5.3")).isInstanceOf(Verdict.Affected.class);
        assertThat(AffectedCheck.check(gone, PackageRef.of("npm", "elliptic"), "6.5.3")).isEqualTo(new Verdict.NotAffected());
    }

    @Test
    void unsortedEventsAreSortedBeforeEvaluation() throws Exception {
        // events: introduced 0, introduced 4.0.1, fixed 4.0.5, fixed 3.0.21 (not in version order).
        String text = new String(resource("ghsa-multiple_ranges_in_package.osv.json"), StandardCharsets.UTF_8);
        Advisory ruby = OsvParser.parse(text.getBytes(StandardCharsets.UTF_8), "ruby");
        assertThat(AffectedCheck.check(ruby, PackageRef.of("RubyGems", "passenger"), "3.0.20"))
                .as("RubyGems ordering is not known to Capsule: undetermined, never 'not affected'")
                .isInstanceOf(Verdict.Undetermined.class);
        // The same events read as an npm package (its versions are valid node-semver versions).
        Advisory npm = OsvParser.parse(text.replace("\"RubyGems\"", "\"npm\"").getBytes(StandardCharsets.UTF_8), "npm");
        PackageRef passenger = PackageRef.of("npm", "passenger");
        assertThat(AffectedCheck.check(npm, passenger, "3.0.20")).isEqualTo(new Verdict.Affected("3.0.21"));
        assertThat(AffectedCheck.check(npm, passenger, "3.0.21")).isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(npm, passenger, "4.0.0")).isEqualTo(new Verdict.NotAffected());
        assertThat(AffectedCheck.check(npm, passenger, "4.0.1")).isEqualTo(new Verdict.Affected("4.0.5"));
        assertThat(AffectedCheck.check(npm, passenger, "4.0.5")).isEqualTo(new Verdict.NotAffected());
    }
}
