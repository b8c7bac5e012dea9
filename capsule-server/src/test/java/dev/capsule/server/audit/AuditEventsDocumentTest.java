package dev.capsule.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/audit-events.md and the catalogue agree: its generated section is {@link AuditEventType} rendered
 * again. To refresh it: {@code -Dcapsule.docs.update=true}, or copy it from
 * {@code capsule-server/target/audit-events.md}, which every run writes.
 */
class AuditEventsDocumentTest {
    private static final Pattern SECTION = Pattern.compile(
            "(<!-- BEGIN GENERATED: catalogue -->\n)(.*?)(<!-- END GENERATED: catalogue -->)", Pattern.DOTALL);

    @Test
    void docsAuditEventsMdIsTheCatalogue() throws IOException {
        Path document = Path.of(System.getProperty("capsule.repo.root", "..")).resolve("docs/audit-events.md");
        assertThat(document).as("docs/audit-events.md must exist").exists();
        String current = Files.readString(document);
        Matcher matcher = SECTION.matcher(current);
        assertThat(matcher.find()).as("docs/audit-events.md has the generated catalogue section").isTrue();
        String expected = current.substring(0, matcher.start(2)) + catalogue() + current.substring(matcher.end(2));
        Path target = Path.of("target/audit-events.md");
        Files.writeString(target, expected);
        if (Boolean.getBoolean("capsule.docs.update")) {
            Files.writeString(document, expected);
        }
        assertThat(current).as("docs/audit-events.md is out of date; see " + target.toAbsolutePath()
                + " (or run with -Dcapsule.docs.update=true)").isEqualTo(expected);
    }

    @Test
    void everyNameCurrentOrFormerNamesOneTypeAndNoneReusesAnother() {
        Set<String> names = new HashSet<>();
        for (AuditEventType type : AuditEventType.values()) {
            assertThat(names.add(type.code())).as(type.code()).isTrue();
            type.formerCodes().forEach(former -> assertThat(names.add(former)).as(former).isTrue());
            assertThat(AuditEventType.fromCode(type.code())).contains(type);
            type.formerCodes().forEach(former -> assertThat(AuditEventType.fromCode(former)).contains(type));
        }
        assertThat(AuditEventType.fromCode("runtime")).contains(AuditEventType.RUNTIME_CALL);
        assertThat(AuditEventType.fromCode("no.such-type")).isEmpty();
    }

    static String catalogue() {
        StringBuilder table = new StringBuilder("| Type | Emitted by | Record | Outcome | Fields | Written before as |\n"
                + "|---|---|---|---|---|---|\n");
        for (AuditEventType type : AuditEventType.values()) {
            table.append("| `").append(type.code()).append("` | ").append(type.emitter().module()).append(" | ")
                    .append(type.record().startsWith("(") ? type.record() : "`" + type.record() + "`").append(" | ")
                    .append(type.outcomes()).append(" | ").append(type.fields()).append(" | ")
                    .append(type.formerCodes().isEmpty() ? "" : String.join(", ", type.formerCodes().stream().map(c -> "`" + c + "`").toList()))
                    .append(" |\n");
        }
        return table.toString();
    }
}
