package dev.capsule.core.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;

/** Reads newline-terminated lines of at most a given length; a longer or unterminated line is an error. */
final class BoundedLineReader {
    private final InputStream in;
    private final int lineBytesMax;
    private final String what;
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
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                lineNumber++;
                return line.toByteArray();
            }
            if (line.size() == lineBytesMax) {
                throw new LogFormatException(what + " line " + (lineNumber + 1) + ": longer than " + lineBytesMax + " bytes");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new LogFormatException(what + " line " + (lineNumber + 1) + ": truncated (no final newline)");
        }
        return null;
    }
}
