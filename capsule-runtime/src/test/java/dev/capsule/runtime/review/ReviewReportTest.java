package dev.capsule.runtime.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Reports: one stable order and bytes, bounded, blocking exactly on critical, escaped in JSON and HTML. */
class ReviewReportTest {
    private static final Finding EVAL = new Finding("js.eval", Severity.HIGH, "a.js", 3, "eval: code from strings");
    private static final Finding KEY = new Finding("secret.private-key", Severity.CRITICAL, "b.js", 1, "a PEM private key");
    private static final Finding UNUSED = new Finding("privacy.unused", Severity.LOW, "capsule.json", 4, "declared, never used");
    private static final Finding VULN = new Finding("osv.vulnerable", Severity.MEDIUM, "miniprogram_npm/x/package.json", 0,
            "x 1.0.0 is affected", new Finding.Advisory("GHSA-aaaa-bbbb-cccc", "1.0.1"));

    @Test
    void findingsAreInOneOrderAndTheJsonBytesAreTheSameWhateverTheInputOrder() {
        List<Finding> all = new ArrayList<>(List.of(EVAL, KEY, UNUSED, VULN));
        ReviewReport first = ReviewReport.of(all);
        for (long seed = 0; seed < 10; seed++) {
            Collections.shuffle(all, new Random(seed));
            ReviewReport again = ReviewReport.of(all);
            assertThat(again.findings()).isEqualTo(first.findings());
            assertThat(again.toJson()).isEqualTo(first.toJson());
        }
        assertThat(first.findings()).containsExactly(KEY, EVAL, VULN, UNUSED);
    }

    @Test
    void combiningReportsFromSeveralSourcesDoesNotDependOnTheirOrder() {
        ReviewReport code = ReviewReport.of(List.of(EVAL, UNUSED));
        ReviewReport supplyChain = ReviewReport.of(List.of(VULN));
        assertThat(ReviewReport.combine(List.of(code, supplyChain)).toJson())
                .isEqualTo(ReviewReport.combine(List.of(supplyChain, code)).toJson())
                .isEqualTo(code.with(List.of(VULN)).toJson());
        assertThat(code.with(List.of(VULN)).findings()).containsExactly(EVAL, VULN, UNUSED);
    }

    @Test
    void blockingExactlyWhenACriticalFindingIsPresent() {
        assertThat(ReviewReport.of(List.of(EVAL, VULN, UNUSED)).blocking()).isFalse();
        assertThat(ReviewReport.of(List.of(EVAL, KEY)).blocking()).isTrue();
        assertThat(ReviewReport.empty().blocking()).isFalse();
    }

    @Test
    void countsHaveEverySeverity() {
        var counts = ReviewReport.of(List.of(EVAL, KEY, UNUSED)).counts();
        assertThat(counts).containsOnlyKeys(Severity.values());
        assertThat(counts.get(Severity.HIGH)).isEqualTo(1);
        assertThat(counts.get(Severity.INFO)).isZero();
    }

    @Test
    void theJsonIsCompactWithSortedKeysAndEscapesSeparatorsInGuestPaths() throws Exception {
        Finding odd = new Finding("js.eval", Severity.HIGH, "pages/a\u2028b\"<x>.js", 2, "eval: code from strings");
        String json = new String(ReviewReport.of(List.of(odd, VULN)).toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"blocking\":false,\"counts\":{\"critical\":0,\"high\":1,\"info\":0,\"low\":0,\"medium\":1},\"findings\":[")
                .endsWith("\"format\":\"capsule-review/1\"}")
                .doesNotContain("\u2028").contains("\\u2028")
                .contains("{\"advisory\":{\"fixed\":\"1.0.1\",\"id\":\"GHSA-aaaa-bbbb-cccc\"},\"explanation\":");
        JsonNode parsed = StrictJson.mapper().readTree(json);
        assertThat(parsed.get("findings").get(0).get("path").asString()).isEqualTo("pages/a\u2028b\"<x>.js");
        assertThat(parsed.get("findings").get(1).has("path")).isTrue();
        assertThat(parsed.get("findings").get(0).has("advisory")).isFalse();
    }

    @Test
    void theHtmlEscapesGuestTextAndHasNoScript() {
        String name = "pages/<script>alert(1)</script>&\"'.js";
        ReviewReport report = ReviewReport.of(List.of(new Finding("js.eval", Severity.HIGH, name, 1,
                "URL " + Finding.quote("https://x/<img src=x onerror=alert(1)>") + " is odd"), KEY));
        String html = report.toHtml("Review of <b>com.example</b>");
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>")
                .contains("pages/&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;.js")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("Review of &lt;b&gt;com.example&lt;/b&gt;")
                .contains("default-src 'none'")
                .contains("<strong>Blocking:</strong>");
    }

    @Test
    void theHtmlOfAPackageShowsItsEscapedFileName() {
        String path = "lib/<img src=x onerror=alert(1)>.js";
        ReviewReport report = PackageReview.review(ReviewFixtures.app(path, "eval('x');"));
        assertThat(report.findings()).extracting(Finding::path).containsExactly(path);
        assertThat(report.toHtml("r")).doesNotContain("<img").contains("lib/&lt;img src=x onerror=alert(1)&gt;.js");
    }

    @Test
    void aFloodOfFindingsKeepsTheWorstAndSaysHowManyWereLeftOut() {
        List<Finding> many = new ArrayList<>();
        for (int i = 1; i <= ReviewReport.FINDINGS_MAX + 50; i++) {
            many.add(new Finding("wx.unknown-api", Severity.MEDIUM, "f" + i + ".js", 1, "wx.x is not provided"));
        }
        many.add(KEY);
        ReviewReport report = ReviewReport.of(many);
        assertThat(report.findings()).hasSize(ReviewReport.FINDINGS_MAX + 1).contains(KEY);
        assertThat(report.blocking()).isTrue();
        assertThat(report.findings()).filteredOn(f -> f.rule().equals(ReviewReport.TRUNCATED_RULE)).singleElement()
                .satisfies(f -> assertThat(f.explanation()).startsWith("51 more findings"));
        // Combining a truncated report keeps one note with the total.
        ReviewReport combined = report.with(List.of(EVAL));
        assertThat(combined.findings()).filteredOn(f -> f.rule().equals(ReviewReport.TRUNCATED_RULE)).singleElement()
                .satisfies(f -> assertThat(f.explanation()).startsWith("52 more findings"));
    }

    @Test
    void aFindingIsValidOrNotBuilt() {
        assertThatThrownBy(() -> new Finding("JS Eval", Severity.HIGH, "a.js", 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", Severity.HIGH, null, 3, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", Severity.HIGH, "a.js", -1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", Severity.HIGH, "a.js", 1, "two\nlines")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", Severity.HIGH, "a.js", 1, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", Severity.HIGH, "", 0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding("js.eval", null, "a.js", 1, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Finding.Advisory(" ", "1.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Finding("osv.vulnerable", Severity.CRITICAL, null, 0, "x", new Finding.Advisory("CVE-2024-1", null)).advisory().fixedVersion()).isNull();
        assertThat(Finding.quote("a\nb\u202ec")).isEqualTo("a\\u000ab\\u202ec");
    }

    @Test
    void severitiesAreOrderedAndTheirCodesRoundTrip() {
        assertThat(Severity.CRITICAL).isGreaterThan(Severity.HIGH);
        assertThat(Severity.LOW).isGreaterThan(Severity.INFO);
        for (Severity s : Severity.values()) {
            assertThat(Severity.parse(s.code())).isEqualTo(s);
        }
        assertThatThrownBy(() -> Severity.parse("CRITICAL")).isInstanceOf(IllegalArgumentException.class);
    }
}
