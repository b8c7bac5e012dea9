package dev.capsule.core.log;

import java.io.IOException;

/** Items read one at a time from a log source, so a whole log never needs to fit in memory. */
public interface LogCursor<T> extends AutoCloseable {
    /**
     * The next item, or {@code null} at the end.
     *
     * @throws IOException when the source cannot be read (file, network)
     * @throws LogFormatException when what was read is malformed; the message names where
     */
    T next() throws IOException, LogFormatException;

    @Override
    void close() throws IOException;
}
