package dev.capsule.core.log;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The portable audit export, {@value #FORMAT}: JSON Lines (UTF-8, one object per line, each ending in a newline):
 * a header {@code {"format":"capsule-audit-export/1","origin":"...","size":N}}, then every signed checkpoint with
 * size at most N in ascending order {@code {"checkpoint":"<signed note>"}}, then entries 0..N-1 in order
 * {@code {"index":i,"entry":"<base64>","leafHash":"<base64>"}}. Unknown fields are an error.
 */
public final class ExportFormat {
    public static final String FORMAT = "capsule-audit-export/1";
    /** Longest line read; an entry's base64 must fit. */
    public static final int LINE_BYTES_MAX = 1 << 20;
    /** Most entries an export may declare. */
    public static final long ENTRIES_MAX = 1L << 40;

    private ExportFormat() {}

    /** One parsed line. */
    public sealed interface Line {}

    public record Header(String origin, long size) implements Line {
        public Header {
            NoteText.requireKeyName(origin, "export origin");
            if (size < 0 || size > ENTRIES_MAX) {
                throw new IllegalArgumentException("export size must be 0.." + ENTRIES_MAX);
            }
        }
    }

    public record CheckpointLine(byte[] note) implements Line {
        public CheckpointLine {
            note = note.clone();
        }

        @Override
        public byte[] note() {
            return note.clone();
        }
    }

    public record EntryLine(LogEntry entry) implements Line {}

    static byte[] header(Header header) {
        ObjectNode node = StrictJson.mapper().createObjectNode();
        node.put("format", FORMAT).put("origin", header.origin()).put("size", header.size());
        return line(node);
    }

    static byte[] checkpoint(byte[] note) throws LogFormatException {
        ObjectNode node = StrictJson.mapper().createObjectNode();
        node.put("checkpoint", NoteText.utf8(note, "checkpoint note"));
        return line(node);
    }

    static byte[] entry(LogEntry entry) {
        ObjectNode node = StrictJson.mapper().createObjectNode();
        node.put("index", entry.index())
                .put("entry", Base64.getEncoder().encodeToString(entry.entry()))
                .put("leafHash", Base64.getEncoder().encodeToString(entry.leafHash()));
        return line(node);
    }

    private static byte[] line(ObjectNode node) {
        byte[] json = StrictJson.mapper().writeValueAsBytes(node);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    /** Parses one line (without its newline); {@code where} names it in errors, e.g. "export line 12". */
    static Line parse(byte[] line, String where) throws LogFormatException {
        try {
            JsonObject object = StrictJson.parseObject(line, where, LINE_BYTES_MAX);
            if (object.has("format")) {
                object.rejectUnknownFields(Set.of("format", "origin", "size"));
                if (!FORMAT.equals(object.requireString("format"))) {
                    throw new LogFormatException(where + ": unsupported export format (expected " + FORMAT + ")");
                }
                String origin = object.requireString("origin");
                if (!NoteText.isValidKeyName(origin)) {
                    throw new LogFormatException(where + ": invalid origin");
                }
                return new Header(origin, object.requireLong("size", 0, ENTRIES_MAX));
            }
            if (object.has("checkpoint")) {
                object.rejectUnknownFields(Set.of("checkpoint"));
                return new CheckpointLine(object.requireString("checkpoint").getBytes(StandardCharsets.UTF_8));
            }
            return new EntryLine(parseEntry(object, where, false));
        } catch (JsonFormatException e) {
            throw new LogFormatException(e.getMessage());
        }
    }

    /**
     * One entry object, as an export line holds it and as the server's entries API gives it:
     * {@code {"index","entry","leafHash"}}, plus {@code "innerHashes"} when {@code innerHashesAllowed} (the API).
     * Base64 must be canonical; unknown fields are an error.
     */
    public static LogEntry parseEntry(JsonObject object, String where, boolean innerHashesAllowed)
            throws JsonFormatException, LogFormatException {
        object.rejectUnknownFields(innerHashesAllowed ? Set.of("index", "entry", "leafHash", "innerHashes")
                : Set.of("index", "entry", "leafHash"));
        long index = object.requireLong("index", 0, ENTRIES_MAX - 1);
        byte[] entry = NoteText.base64(object.requireString("entry"), where + ": entry");
        byte[] leafHash = hash(object.requireString("leafHash"), where + ": leafHash");
        List<byte[]> innerHashes = null;
        if (object.has("innerHashes")) {
            List<String> texts = object.optionalStrings("innerHashes", LogEntry.INNER_HASHES_MAX);
            innerHashes = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                innerHashes.add(hash(texts.get(i), where + ": innerHashes[" + i + "]"));
            }
        }
        return new LogEntry(index, entry, leafHash, innerHashes);
    }

    /** A 32-byte hash in canonical standard base64 (as exports and the server's API carry hashes). */
    public static byte[] hash(String text, String what) throws LogFormatException {
        byte[] hash = NoteText.base64(text, what);
        if (!MerkleHash.isHash(hash)) {
            throw new LogFormatException(what + " must be " + MerkleHash.SIZE_BYTES + " bytes");
        }
        return hash;
    }
}
