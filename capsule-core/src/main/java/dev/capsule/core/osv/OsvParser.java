package dev.capsule.core.osv;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads one OSV advisory (one JSON file of an OSV export) with {@link StrictJson}: UTF-8, no duplicate keys, bounded
 * size and counts. Fields Capsule does not use ({@code details}, {@code references}, {@code credits}, …) are allowed
 * and ignored: the schema grows, and an advisory is not wrong for having more. Fields Capsule uses must have the
 * schema's shape; a violation names the field ("GHSA-…json: affected[0].ranges[1].events[2]: …").
 */
public final class OsvParser {
    /** Larger than any npm advisory (GitHub's biggest are tens of kilobytes with long version lists). */
    public static final int ADVISORY_BYTES_MAX = 1 << 20;
    public static final int AFFECTED_MAX = 1_000;
    public static final int RANGES_MAX = 100;
    public static final int EVENTS_MAX = 1_000;
    /** Enumerated versions of one affected package: long-lived packages list thousands. */
    public static final int VERSIONS_MAX = 20_000;
    public static final int ALIASES_MAX = 100;
    public static final int SEVERITIES_MAX = 10;

    private OsvParser() {}

    /** @param what the document's name for error messages, for example the zip entry name */
    public static Advisory parse(byte[] json, String what) throws JsonFormatException {
        JsonObject root = StrictJson.parseObject(json, what, ADVISORY_BYTES_MAX);
        String id = root.requireString("id");
        List<JsonNode> affectedItems = root.optionalArray("affected", AFFECTED_MAX);
        List<AffectedPackage> affected = new ArrayList<>(affectedItems.size());
        for (int i = 0; i < affectedItems.size(); i++) {
            affected.add(affected(JsonObject.element(affectedItems.get(i), root, "affected", i)));
        }
        JsonObject databaseSpecific = root.optionalObject("database_specific");
        try {
            return new Advisory(id, time(root, "modified", true), time(root, "published", false), time(root, "withdrawn", false),
                    root.optionalStrings("aliases", ALIASES_MAX), optionalString(root, "summary"), severities(root),
                    databaseSpecific == null ? null : optionalString(databaseSpecific, "severity"), affected);
        } catch (IllegalArgumentException e) {
            throw root.error(e.getMessage());
        }
    }

    private static AffectedPackage affected(JsonObject entry) throws JsonFormatException {
        JsonObject pkg = entry.requireObject("package");
        PackageRef ref;
        try {
            ref = new PackageRef(pkg.requireString("ecosystem"), pkg.requireString("name"), optionalString(pkg, "purl"));
        } catch (IllegalArgumentException e) {
            throw pkg.error(e.getMessage());
        }
        List<JsonNode> rangeItems = entry.optionalArray("ranges", RANGES_MAX);
        List<VersionRange> ranges = new ArrayList<>(rangeItems.size());
        for (int i = 0; i < rangeItems.size(); i++) {
            ranges.add(range(JsonObject.element(rangeItems.get(i), entry, "ranges", i)));
        }
        List<String> versions = entry.optionalStrings("versions", VERSIONS_MAX);
        // GitHub writes database_specific.severity; the Go database writes ecosystem_specific.severity.
        String specific = null;
        for (String field : List.of("database_specific", "ecosystem_specific")) {
            JsonObject object = entry.optionalObject(field);
            if (specific == null && object != null) {
                specific = optionalString(object, "severity");
            }
        }
        return new AffectedPackage(ref, ranges, versions, severities(entry), specific);
    }

    private static VersionRange range(JsonObject range) throws JsonFormatException {
        String typeName = range.requireString("type");
        RangeType type;
        try {
            type = RangeType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw range.at(range.child("type"), "'" + typeName + "' is not a range type (SEMVER, ECOSYSTEM, GIT)");
        }
        List<JsonNode> eventItems = range.requireArray("events", EVENTS_MAX);
        List<RangeEvent> events = new ArrayList<>(eventItems.size());
        for (int i = 0; i < eventItems.size(); i++) {
            JsonObject event = JsonObject.element(eventItems.get(i), range, "events", i);
            RangeEvent.Kind kind = null;
            for (RangeEvent.Kind candidate : RangeEvent.Kind.values()) {
                if (event.has(candidate.field())) {
                    if (kind != null) {
                        throw event.error("an event has exactly one of introduced, fixed, last_affected, limit");
                    }
                    kind = candidate;
                }
            }
            if (kind == null) {
                throw event.error("an event needs one of introduced, fixed, last_affected, limit");
            }
            try {
                events.add(new RangeEvent(kind, event.requireString(kind.field())));
            } catch (IllegalArgumentException e) {
                throw event.error(e.getMessage());
            }
        }
        try {
            return new VersionRange(type, optionalString(range, "repo"), events);
        } catch (IllegalArgumentException e) {
            throw range.error(e.getMessage());
        }
    }

    private static List<SeverityScore> severities(JsonObject parent) throws JsonFormatException {
        List<JsonNode> items = parent.optionalArray("severity", SEVERITIES_MAX);
        List<SeverityScore> scores = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), parent, "severity", i);
            try {
                scores.add(new SeverityScore(item.requireString("type"), item.requireString("score")));
            } catch (IllegalArgumentException e) {
                throw item.error(e.getMessage());
            }
        }
        return scores;
    }

    private static Instant time(JsonObject root, String field, boolean required) throws JsonFormatException {
        String text = required ? root.requireString(field) : optionalString(root, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw root.at(root.child(field), "must be an RFC 3339 time stamp");
        }
    }

    private static String optionalString(JsonObject object, String field) throws JsonFormatException {
        return object.has(field) ? object.requireString(field) : null;
    }
}
