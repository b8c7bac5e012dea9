package dev.capsule.runtime.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/registry.md's "Finding rules" table is generated from {@link Rule}; ids are unique and valid. */
class FindingRulesDocTest {
    private static final String TABLE_START = "<!-- finding-rules: generated from Rule.markdownTable(); FindingRulesDocTest checks it -->\n";
    private static final String TABLE_END = "<!-- /finding-rules -->";

    @Test
    void docsTableIsGeneratedFromTheRules() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/registry.md"), StandardCharsets.UTF_8);
        int start = docs.indexOf(TABLE_START);
        int end = docs.indexOf(TABLE_END);
        assertThat(start).as("docs/registry.md has the table markers").isPositive();
        assertThat(docs.substring(start + TABLE_START.length(), end))
                .as("docs/registry.md's finding rules table; replace it with:%n%s", Rule.markdownTable())
                .isEqualTo(Rule.markdownTable());
    }

    @Test
    void ruleIdsAreUniqueAndValid() {
        Set<String> ids = new HashSet<>();
        for (Rule r : Rule.values()) {
            assertThat(ids.add(r.id())).as(r.id()).isTrue();
            if (r != Rule.PACKAGE) {
                assertThat(Finding.RULE.matcher(r.id()).matches()).as(r.id()).isTrue();
            }
        }
    }
}
