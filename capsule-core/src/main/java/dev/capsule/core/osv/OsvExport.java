package dev.capsule.core.osv;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.text.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an OSV export ({@code all.zip} of one ecosystem: a zip of one {@code ID.json} per advisory) as a stream, one
 * entry at a time, so memory stays bounded by one entry whatever the file's size.
 *
 * <p>Security guarantees (zip-bomb safe): every entry is inflated at most to {@link OsvParser#ADVISORY_BYTES_MAX} + 1
 * bytes before it is refused; the inflated bytes of the whole file, kept entries and skipped remainders alike, are
 * capped at {@link #TOTAL_BYTES_MAX}, and the entry count at {@link #ENTRIES_MAX}: past either the whole read fails.
 * An entry that is too large, not named {@code *.json}, or not a valid advisory is {@link Entry.Refused refused} with a
 * reason and the read goes on. Entry names are never used as file paths; in reasons they are escaped.
 */
public final class OsvExport {
    /** npm's export holds a few hundred thousand advisories (most of them malicious-package reports). */
    public static final int ENTRIES_MAX = 2_000_000;
    /** Inflated bytes of all entries together: several times the largest export OSV publishes. */
    public static final long TOTAL_BYTES_MAX = 8L << 30;
    /** Entry names longer than this are refused (OSV's are an id plus ".json"). */
    public static final int NAME_CHARS_MAX = 255;
    private static final int CHUNK_BYTES = 16 * 1024;

    private OsvExport() {}

    /** One zip entry's outcome. */
    public sealed interface Entry {
        String name();

        /** A valid advisory and its JSON bytes exactly as in the file. */
        record Parsed(String name, Advisory advisory, byte[] json) implements Entry {
            public Parsed {
                Objects.requireNonNull(advisory, "advisory");
                json = json.clone();
            }

            @Override
            public byte[] json() {
                return json.clone();
            }
        }

        /** An entry that is not imported, and why (one printable line). */
        record Refused(String name, String reason) implements Entry {}
    }

    /** Receives entries in file order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Entry entry) throws IOException;
    }

    /** The whole file cannot be read (not a zip, or past a whole-file limit). */
    public static final class ExportException extends Exception {
        private static final long serialVersionUID = 1L;

        public ExportException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code zip} to its end, handing each file entry to {@code sink} (directory entries are skipped).
     *
     * @return the number of file entries read
     */
    public static long read(InputStream zip, Sink sink) throws IOException, ExportException {
        return read(zip, sink, TOTAL_BYTES_MAX);
    }

    static long read(InputStream zip, Sink sink, long totalBytesMax) throws IOException, ExportException {
        long entries = 0;
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry entry;
            byte[] chunk = new byte[CHUNK_BYTES];
            while ((entry = nextEntry(in)) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (++entries > ENTRIES_MAX) {
                    throw new ExportException("more than " + ENTRIES_MAX + " entries");
                }
                String name = printable(entry.getName());
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                long size = 0;
                int n;
                while ((n = readChunk(in, chunk, name)) > 0) {
                    size += n;
                    total += n;
                    if (total > totalBytesMax) {
                        throw new ExportException("more than " + totalBytesMax + " bytes once inflated (a zip bomb, or not an OSV export)");
                    }
                    if (size <= OsvParser.ADVISORY_BYTES_MAX) {
                        kept.write(chunk, 0, n);
                    }
                }
                sink.accept(entry(name, entry.getName(), size, kept.toByteArray()));
            }
        }
        if (entries == 0) {
            // ZipInputStream reads anything without a local header as an empty zip: say so rather than import nothing.
            throw new ExportException("no advisory files in it: not a zip file, or an empty export");
        }
        return entries;
    }

    private static Entry entry(String printableName, String rawName, long size, byte[] json) {
        if (rawName.length() > NAME_CHARS_MAX || !rawName.endsWith(".json")) {
            return new Entry.Refused(printableName, "not an advisory file (OSV exports hold ID.json files only)");
        }
        if (size > OsvParser.ADVISORY_BYTES_MAX) {
            return new Entry.Refused(printableName, "larger than " + OsvParser.ADVISORY_BYTES_MAX + " bytes");
        }
        try {
            return new Entry.Parsed(printableName, OsvParser.parse(json, printableName), json);
        } catch (JsonFormatException e) {
            return new Entry.Refused(printableName, e.getMessage());
        }
    }

    private static ZipEntry nextEntry(ZipInputStream in) throws ExportException, IOException {
        try {
            return in.getNextEntry();
        } catch (ZipException | IllegalArgumentException e) {
            throw new ExportException("not a readable zip file: " + SafeText.escape(String.valueOf(e.getMessage())));
        }
    }

    private static int readChunk(ZipInputStream in, byte[] chunk, String name) throws ExportException, IOException {
        try {
            return Math.max(in.read(chunk), 0);
        } catch (ZipException e) {
            throw new ExportException(name + ": corrupt zip data: " + SafeText.escape(String.valueOf(e.getMessage())));
        }
    }

    private static String printable(String name) {
        return SafeText.escape(name, NAME_CHARS_MAX);
    }
}
