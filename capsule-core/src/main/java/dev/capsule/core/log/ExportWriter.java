package dev.capsule.core.log;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an {@link ExportFormat} export in order: the header on construction, then checkpoints (ascending, size at
 * most the export's), then entries 0..size-1; {@link #finish} checks that every entry was written. It copies what it
 * is given: checking is the verifier's job, so an export of a tampered log shows the tampering.
 */
public final class ExportWriter {
    private final OutputStream out;
    private final ExportFormat.Header header;
    private long lastCheckpointSize = -1;
    private long entriesWritten;

    public ExportWriter(OutputStream out, String origin, long size) throws IOException {
        this.out = out;
        this.header = new ExportFormat.Header(origin, size);
        out.write(ExportFormat.header(header));
    }

    /** Appends a signed checkpoint note; its size must not be below the previous one's nor above the export's. */
    public void checkpoint(byte[] note) throws IOException, LogFormatException {
        if (entriesWritten > 0) {
            throw new IllegalStateException("checkpoints come before the entries");
        }
        long size = Checkpoint.parse(SignedNote.parse(note).text()).size();
        if (size < lastCheckpointSize || size > header.size()) {
            throw new LogFormatException("checkpoint of size " + size + " out of order (previous " + lastCheckpointSize
                    + ", export size " + header.size() + ")");
        }
        lastCheckpointSize = size;
        out.write(ExportFormat.checkpoint(note));
    }

    /** Appends the next entry. */
    public void entry(LogEntry entry) throws IOException {
        if (entry.index() != entriesWritten || entriesWritten >= header.size()) {
            throw new IllegalStateException("entry " + entry.index() + " out of order (next is " + entriesWritten
                    + " of " + header.size() + ")");
        }
        out.write(ExportFormat.entry(entry));
        entriesWritten++;
    }

    /** Flushes, after checking that all {@code size} entries were written. */
    public void finish() throws IOException {
        if (entriesWritten != header.size()) {
            throw new IllegalStateException("wrote " + entriesWritten + " of " + header.size() + " entries");
        }
        out.flush();
    }
}
