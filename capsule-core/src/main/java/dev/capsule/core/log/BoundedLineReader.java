package dev.capsule.core.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads newline-terminated lines of at most a given length; a longer or unterminated line is an error. */
final class BoundedLineReader {
    private static final int BUFFER_BYTES = 1 << 16;
    private final InputStream in;
    private final int lineBytesMax;
    private final String what;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private long lineNumber;

    BoundedLineReader(InputStream in, int lineBytesMax, String what) {
        this.in = in;
        this.lineBytesMax = lineBytesMax;
        this.what = what;
    }

    /** The number of the line last returned (1-based). */
    long lineNumber() {
        return lineNumber;
    }

    /** The next line without its newline, or null at the end of the input. */
    byte[] next() throws IOException, LogFormatException {
        byte[] line = new byte[0];
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (length > 0) {
                        throw new LogFormatException(what + " line " + (lineNumber + 1) + ": truncated (no final newline)");
                    }
                    return null;
                }
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int chunk = end - position;
            if (length + chunk > lineBytesMax) {
                throw new LogFormatException(what + " line " + (lineNumber + 1) + ": longer than " + lineBytesMax + " bytes");
            }
            if (line.length < length + chunk) {
                line = Arrays.copyOf(line, Math.max(length + chunk, Math.min(lineBytesMax, 2 * line.length + 256)));
            }
            System.arraycopy(buffer, position, line, length, chunk);
            length += chunk;
            position = end;
            if (end < limit) {
                position++; // the newline
                lineNumber++;
                return Arrays.copyOf(line, length);
            }
        }
    }
}
