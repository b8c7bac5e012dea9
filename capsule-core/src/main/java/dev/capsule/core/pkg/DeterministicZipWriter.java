package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.ZipFormat.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes the one canonical archive shape that {@link StrictZipReader} accepts: entries in
 * {@link PackagePaths#ORDER}, fixed 1980-01-01 timestamps, mode 0644, UTF-8 names, no extra fields,
 * no data descriptors. The same entries always give the same bytes (with the same zlib).
 */
final class DeterministicZipWriter {
    private DeterministicZipWriter() {}

    /** {@code entries} must be sorted by {@link PackagePaths#ORDER}. */
    static byte[] write(SortedMap<String, byte[]> entries, int compressionRatioMax) {
        if (entries.comparator() != PackagePaths.ORDER) {
            throw new IllegalArgumentException("entries must be sorted by PackagePaths.ORDER");
        }
        var out = new ByteArrayOutputStream();
        List<byte[]> centralHeaders = new ArrayList<>(entries.size());
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] data = entry.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            byte[] deflated = deflate(data);
            // Store when deflate does not help, or when it helps so much that readers would call it a bomb.
            boolean store = deflated.length >= data.length || data.length > (long) compressionRatioMax * Math.max(deflated.length, 1);
            byte[] body = store ? data : deflated;
            int method = store ? METHOD_STORED : METHOD_DEFLATED;
            int offset = out.size();
            ByteBuffer local = header(LOCAL_HEADER_BYTES + name.length);
            local.putInt(LOCAL_HEADER_SIGNATURE).putShort((short) VERSION_NEEDED);
            putCommon(local, method, (int) crc.getValue(), body.length, data.length, name.length);
            local.putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(body);

            ByteBuffer central = header(CENTRAL_HEADER_BYTES + name.length);
            central.putInt(CENTRAL_HEADER_SIGNATURE).putShort((short) VERSION_MADE_BY).putShort((short) VERSION_NEEDED);
            putCommon(central, method, (int) crc.getValue(), body.length, data.length, name.length);
            central.putShort((short) 0) // extra length
                    .putShort((short) 0) // comment length
                    .putShort((short) 0) // disk number
                    .putShort((short) 0) // internal attributes
                    .putInt(REGULAR_FILE_MODE << 16)
                    .putInt(offset)
                    .put(name);
            centralHeaders.add(central.array());
        }
        int cdOffset = out.size();
        centralHeaders.forEach(out::writeBytes);
        int cdSize = out.size() - cdOffset;
        ByteBuffer end = header(END_OF_CENTRAL_DIRECTORY_BYTES);
        end.putInt(END_OF_CENTRAL_DIRECTORY_SIGNATURE).putShort((short) 0).putShort((short) 0)
                .putShort((short) entries.size()).putShort((short) entries.size())
                .putInt(cdSize).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    /** Flags, method, time, date, CRC, sizes and name length: identical in local and central headers. */
    private static void putCommon(ByteBuffer b, int method, int crc, int compressedSize, int size, int nameLength) {
        b.putShort((short) FLAG_UTF8).putShort((short) method).putShort((short) DOS_TIME).putShort((short) DOS_DATE)
                .putInt(crc).putInt(compressedSize).putInt(size).putShort((short) nameLength);
    }

    private static ByteBuffer header(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            var out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] chunk = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
