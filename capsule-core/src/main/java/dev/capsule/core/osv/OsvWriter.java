package dev.capsule.core.osv;

import dev.capsule.core.json.StrictJson;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an {@link Advisory} back as OSV JSON holding only what Capsule reads (no {@code details}, {@code
 * references}, {@code credits}, …): re-serialized from parsed values, so {@code OsvParser.parse(write(a))} equals
 * {@code a}. A store keeps this compact form for matching, which parses several times faster than a full advisory.
 */
public final class OsvWriter {
    private OsvWriter() {}

    public static byte[] write(Advisory advisory) {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("id", advisory.id());
        root.put("modified", advisory.modified().toString());
        putTime(root, "published", advisory.published());
        putTime(root, "withdrawn", advisory.withdrawn());
        if (!advisory.aliases().isEmpty()) {
            ArrayNode aliases = root.putArray("aliases");
            advisory.aliases().forEach(aliases::add);
        }
        if (!advisory.summary().isEmpty()) {
            root.put("summary", advisory.summary());
        }
        putSeverity(root, advisory.severity());
        ArrayNode affected = root.putArray("affected");
        for (AffectedPackage entry : advisory.affected()) {
            ObjectNode item = affected.addObject();
            ObjectNode pkg = item.putObject("package");
            pkg.put("ecosystem", entry.pkg().ecosystem());
            pkg.put("name", entry.pkg().name());
            if (entry.pkg().purl() != null) {
                pkg.put("purl", entry.pkg().purl());
            }
            putSeverity(item, entry.severity());
            if (!entry.ranges().isEmpty()) {
                ArrayNode ranges = item.putArray("ranges");
                for (VersionRange range : entry.ranges()) {
                    ObjectNode r = ranges.addObject();
                    r.put("type", range.type().name());
                    if (range.repo() != null) {
                        r.put("repo", range.repo());
                    }
                    ArrayNode events = r.putArray("events");
                    range.events().forEach(e -> events.addObject().put(e.kind().field(), e.version()));
                }
            }
            if (!entry.versions().isEmpty()) {
                ArrayNode versions = item.putArray("versions");
                entry.versions().forEach(versions::add);
            }
            if (entry.specificSeverity() != null) {
                item.putObject("database_specific").put("severity", entry.specificSeverity());
            }
        }
        if (advisory.databaseSeverity() != null) {
            root.putObject("database_specific").put("severity", advisory.databaseSeverity());
        }
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time != null) {
            node.put(field, time.toString());
        }
    }

    private static void putSeverity(ObjectNode node, List<SeverityScore> scores) {
        if (!scores.isEmpty()) {
            ArrayNode array = node.putArray("severity");
            scores.forEach(s -> array.addObject().put("type", s.type()).put("score", s.score()));
        }
    }
}
