package dev.capsule.server.privacy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One holder's section of a data export: a short description for the reader and its records, each a flat map of
 * field name to a JSON value (string, number, boolean, or a list or map of those). Field names are the holder's
 * own stable vocabulary, documented in docs/privacy.md.
 *
 * @param holder      the holder's name
 * @param description what these records are, in a sentence for the person reading the export
 * @param records     the records, at most {@link PersonalDataHolder#RECORDS_MAX}
 * @param truncated   true when the holder had more than it may put in one export
 */
public record HeldData(String holder, String description, List<Map<String, Object>> records, boolean truncated) {
    public HeldData {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(description, "description");
        records = List.copyOf(records);
        if (!PersonalDataHolder.NAME.matcher(holder).matches()) {
            throw new IllegalArgumentException("a holder's name is lower-case dotted words: " + holder);
        }
        if (records.size() > PersonalDataHolder.RECORDS_MAX) {
            throw new IllegalArgumentException("an export section holds at most " + PersonalDataHolder.RECORDS_MAX + " records");
        }
    }

    /**
     * One record: its {@code kind} first, then the fields given as name, value pairs (a null value leaves the field out),
     * in that order.
     */
    public static Map<String, Object> record(String kind, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in name, value pairs");
        }
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("kind", Objects.requireNonNull(kind, "kind"));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                record.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return record;
    }

    /** A section with the records of {@code rows}, cut at {@link PersonalDataHolder#RECORDS_MAX} (pass one more to detect a cut). */
    public static HeldData of(String holder, String description, List<Map<String, Object>> rows) {
        boolean cut = rows.size() > PersonalDataHolder.RECORDS_MAX;
        return new HeldData(holder, description, cut ? rows.subList(0, PersonalDataHolder.RECORDS_MAX) : rows, cut);
    }
}
