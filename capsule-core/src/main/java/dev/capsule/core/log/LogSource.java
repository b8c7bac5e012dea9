package dev.capsule.core.log;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a {@link LogVerifier} reads a log: an export file or a server. Nothing it delivers is trusted.
 */
public interface LogSource {
    /** The origin the source declares (an export's header), or empty when only its checkpoints say. */
    Optional<String> declaredOrigin();

    /** The number of entries the source says the log has (and that a signed checkpoint must cover). */
    long size();

    /** The signed checkpoint notes with size at most {@link #size()}, in ascending order of size. */
    LogCursor<byte[]> checkpoints() throws IOException;

    /** Entries 0 to {@code size() - 1}, in order. */
    LogCursor<LogEntry> entries() throws IOException;

    /** The server's proof API, when the source is a live server. */
    Optional<ProofSource> proofs();

    /** Opens a fresh cursor each time it is called. */
    @FunctionalInterface
    interface CursorOpener<T> {
        LogCursor<T> open() throws IOException;
    }

    /** A source with no declared origin (its checkpoints name it) over the given cursors and proofs. */
    static LogSource of(long size, CursorOpener<byte[]> checkpoints, CursorOpener<LogEntry> entries, Optional<ProofSource> proofs) {
        return new LogSource() {
            @Override
            public Optional<String> declaredOrigin() {
                return Optional.empty();
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public LogCursor<byte[]> checkpoints() throws IOException {
                return checkpoints.open();
            }

            @Override
            public LogCursor<LogEntry> entries() throws IOException {
                return entries.open();
            }

            @Override
            public Optional<ProofSource> proofs() {
                return proofs;
            }
        };
    }
}
