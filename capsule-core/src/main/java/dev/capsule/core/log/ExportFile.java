package dev.capsule.core.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An {@link ExportFormat} export file as a {@link LogSource}. Checkpoints and entries are read by two independent
 * passes over the file, so neither is ever held in memory as a whole.
 */
public final class ExportFile implements LogSource {
    private final Path file;
    private final ExportFormat.Header header;

    private ExportFile(Path file, ExportFormat.Header header) {
        this.file = file;
        this.header = header;
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @throws LogFormatException when the first line is not a valid header
     */
    public static ExportFile open(Path file) throws IOException, LogFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            BoundedLineReader lines = new BoundedLineReader(in, ExportFormat.LINE_BYTES_MAX, "export");
            byte[] first = lines.next();
            if (first == null) {
                throw new LogFormatException("export line 1: empty file, expected the header");
            }
            if (!(ExportFormat.parse(first, "export line 1") instanceof ExportFormat.Header header)) {
                throw new LogFormatException("export line 1: expected the header {\"format\":\"" + ExportFormat.FORMAT + "\",...}");
            }
            return new ExportFile(file, header);
        }
    }

    @Override
    public Optional<String> declaredOrigin() {
        return Optional.of(header.origin());
    }

    @Override
    public long size() {
        return header.size();
    }

    @Override
    public Optional<ProofSource> proofs() {
        return Optional.empty();
    }

    @Override
    public LogCursor<byte[]> checkpoints() throws IOException {
        Pass pass = new Pass();
        return new LogCursor<>() {
            @Override
            public byte[] next() throws IOException, LogFormatException {
                ExportFormat.Line line = pass.next();
                return line instanceof ExportFormat.CheckpointLine c ? c.note() : null;
            }

            @Override
            public void close() throws IOException {
                pass.close();
            }
        };
    }

    @Override
    public LogCursor<LogEntry> entries() throws IOException {
        Pass pass = new Pass();
        return new LogCursor<>() {
            @Override
            public LogEntry next() throws IOException, LogFormatException {
                ExportFormat.Line line;
                do {
                    line = pass.next();
                } while (line instanceof ExportFormat.CheckpointLine);
                return line instanceof ExportFormat.EntryLine e ? e.entry() : null;
            }

            @Override
            public void close() throws IOException {
                pass.close();
            }
        };
    }

    /** One read of the file after its header, enforcing the section order: checkpoints, then entries. */
    private final class Pass implements AutoCloseable {
        private final InputStream in;
        private final BoundedLineReader lines;
        private boolean inEntries;

        private boolean started;

        Pass() throws IOException {
            in = Files.newInputStream(file);
            lines = new BoundedLineReader(in, ExportFormat.LINE_BYTES_MAX, "export");
        }

        ExportFormat.Line next() throws IOException, LogFormatException {
            if (!started) {
                started = true;
                byte[] first = lines.next();
                if (first == null || !header.equals(ExportFormat.parse(first, "export line 1"))) {
                    throw new LogFormatException("export line 1: the header changed while the file was read");
                }
            }
            byte[] bytes = lines.next();
            if (bytes == null) {
                return null;
            }
            String where = "export line " + lines.lineNumber();
            ExportFormat.Line line = ExportFormat.parse(bytes, where);
            switch (line) {
                case ExportFormat.Header h -> throw new LogFormatException(where + ": a second header");
                case ExportFormat.CheckpointLine c -> {
                    if (inEntries) {
                        throw new LogFormatException(where + ": a checkpoint after the entries");
                    }
                }
                case ExportFormat.EntryLine e -> inEntries = true;
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
