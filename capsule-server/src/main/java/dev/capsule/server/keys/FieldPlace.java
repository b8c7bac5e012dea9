package dev.capsule.server.keys;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an encrypted value lives: it becomes the AEAD's associated data, so a ciphertext copied to
 * another tenant, table, row or field does not decrypt.
 *
 * <p>Security guarantees: the encoding is unambiguous (a versioned prefix and one line per part; no
 * part may hold a newline, names are restricted to {@code [a-z0-9._-]}), so two different places never
 * give the same associated data.
 *
 * @param tenant the tenant (super-app) the value belongs to, or "platform"
 * @param table  the table (or log) holding the value
 * @param rowId  the row's identifier as text
 * @param field  the column or JSON field
 */
public record FieldPlace(String tenant, String table, String rowId, String field) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Row ids are identifiers (numbers, UUIDs, short codes), never content. */
    public static final int ROW_ID_CHARS_MAX = 128;

    public FieldPlace {
        requireName(tenant, "tenant");
        requireName(table, "table");
        requireName(field, "field");
        Objects.requireNonNull(rowId, "rowId");
        if (rowId.isEmpty() || rowId.length() > ROW_ID_CHARS_MAX || rowId.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a row id is 1 to " + ROW_ID_CHARS_MAX + " characters on one line");
        }
    }

    /** The associated data: one unambiguous line per part (no part may contain a newline). */
    public byte[] associatedData() {
        return ("capsule-field/1\n" + tenant + "\n" + table + "\n" + rowId + "\n" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a lower-case name (a-z, 0-9, '.', '_', '-'), not " + value);
        }
    }
}
