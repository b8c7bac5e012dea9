package dev.capsule.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds ZIP archives byte by byte, with every field under the test's control, to craft the hostile
 * archives the package reader must reject. Defaults produce the canonical shape Capsule writes.
 */
public final class ZipCrafter {
    /** One entry; public fields so a test can bend any of them. */
    public static final class Entry {
        public byte[] name;
        public byte[] localName;
        public byte[] data;
        public int method = 8;
        public int flags = 1 << 11;
        public int versionMadeBy = (3 << 8) | 20;
        public long externalAttributes = (0100644L) << 16;
        public byte[] extra = new byte[0];
        public Long declaredSize;
        public Long declaredCompressedSize;
        public Integer crc;
        public byte[] body;
        public Long localOffsetOverride;

        Entry(byte[] name, byte[] data) {
            this.name = name;
            this.data = data;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    public byte[] prefix = new byte[0];
    public byte[] comment = new byte[0];
    public Integer declaredEntryCount;

    public Entry add(String name, byte[] data) {
        return add(name.getBytes(StandardCharsets.UTF_8), data);
    }

    public Entry add(String name, String text) {
        return add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public Entry add(byte[] name, byte[] data) {
        Entry e = new Entry(name, data);
        entries.add(e);
        return e;
    }

    public List<Entry> entries() {
        return entries;
    }

    public byte[] build() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        List<Long> offsets = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (Entry e : entries) {
            byte[] body = e.body != null ? e.body : (e.method == 8 ? deflate(e.data) : e.data);
            bodies.add(body);
            offsets.add((long) out.size());
            byte[] localName = e.localName != null ? e.localName : e.name;
            ByteBuffer h = le(30 + localName.length + e.extra.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) e.flags).putShort((short) e.method)
                    .putShort((short) 0).putShort((short) 0x21).putInt(crc(e))
                    .putInt((int) compressed(e, body)).putInt((int) size(e))
                    .putShort((short) localName.length).putShort((short) e.extra.length).put(localName).put(e.extra);
            out.writeBytes(h.array());
            out.writeBytes(body);
        }
        int cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long offset = e.localOffsetOverride != null ? e.localOffsetOverride : offsets.get(i);
            ByteBuffer h = le(46 + e.name.length + e.extra.length);
            h.putInt(0x02014b50).putShort((short) e.versionMadeBy).putShort((short) 20).putShort((short) e.flags)
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21).putInt(crc(e))
                    .putInt((int) compressed(e, bodies.get(i))).putInt((int) size(e))
                    .putShort((short) e.name.length).putShort((short) e.extra.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt((int) e.externalAttributes).putInt((int) offset)
                    .put(e.name).put(e.extra);
            out.writeBytes(h.array());
        }
        int cdSize = out.size() - cdStart;
        int count = declaredEntryCount != null ? declaredEntryCount : entries.size();
        ByteBuffer end = le(22 + comment.length);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt(cdSize).putInt(cdStart).putShort((short) comment.length).put(comment);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static int crc(Entry e) {
        if (e.crc != null) {
            return e.crc;
        }
        CRC32 crc = new CRC32();
        crc.update(e.data);
        return (int) crc.getValue();
    }

    private static long size(Entry e) {
        return e.declaredSize != null ? e.declaredSize : e.data.length;
    }

    private static long compressed(Entry e, byte[] body) {
        return e.declaredCompressedSize != null ? e.declaredCompressedSize : body.length;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Raw deflate (no zlib header), as ZIP method 8 stores it. */
    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
