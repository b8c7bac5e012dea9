package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.ZipFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a .capsule ZIP archive as hostile input, accepting only one canonical shape so that every
 * reader sees the same files.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>Limits are checked on the declared sizes before any inflation, and inflation is bounded by
 *       the declared size (a lying size is caught after at most one extra byte), so a zip bomb costs
 *       at most {@link PackageLimits#uncompressedBytesMax()} of memory and never more CPU than that.
 *   <li>The central directory and local headers must agree, entries must be contiguous from offset 0
 *       to the central directory, and nothing may follow it: no overlapping entries, hidden
 *       prepended data, archive comments or two readings of one file.
 *   <li>Names must be valid UTF-8 and safe ({@link PackagePaths}); duplicates, including names that
 *       differ only in case, are rejected. Symlinks, directories, encryption, data descriptors,
 *       extra fields, ZIP64 and methods other than stored and deflate are rejected.
 * </ul>
 * Not guaranteed here: authenticity. That is the digest manifest's and the signatures' job.
 */
final class StrictZipReader {
    /** One archive entry after all checks: its name, its inflated bytes and its size in the archive (compressed). */
    record Entry(String name, byte[] data, long compressedSize) {}

    private record CentralEntry(String name, byte[] nameBytes, int flags, int method, int crc, long compressedSize,
            long size, long localOffset) {}

    private final byte[] archive;
    private final ByteBuffer buf;
    private final PackageLimits limits;

    private StrictZipReader(byte[] archive, PackageLimits limits) {
        this.archive = archive;
        this.buf = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        this.limits = limits;
    }

    static List<Entry> read(byte[] archive, PackageLimits limits) throws PackageException {
        if (archive.length > limits.archiveBytesMax()) {
            throw new PackageException(Reason.ARCHIVE_TOO_LARGE,
                    "archive is " + archive.length + " bytes; the limit is " + limits.archiveBytesMax() + " bytes compressed");
        }
        return new StrictZipReader(archive, limits).read();
    }

    private List<Entry> read() throws PackageException {
        if (archive.length < END_OF_CENTRAL_DIRECTORY_BYTES) {
            throw corrupt("truncated: too short to be a ZIP archive");
        }
        int eocd = archive.length - END_OF_CENTRAL_DIRECTORY_BYTES;
        if (buf.getInt(eocd) != END_OF_CENTRAL_DIRECTORY_SIGNATURE || u16(eocd + 20) != 0) {
            throw endRecordProblem();
        }
        if (u16(eocd + 4) != 0 || u16(eocd + 6) != 0 || u16(eocd + 8) != u16(eocd + 10)) {
            throw unsupported("multi-volume archives are not supported");
        }
        int count = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            throw unsupported("ZIP64 is not supported");
        }
        if (count > limits.entriesMax()) {
            throw new PackageException(Reason.TOO_MANY_ENTRIES,
                    "archive has " + count + " entries; the limit is " + limits.entriesMax());
        }
        if (cdOffset + cdSize != eocd) {
            throw corrupt("central directory does not end where the end record begins (truncated, or data after it)");
        }
        List<CentralEntry> entries = readCentralDirectory((int) cdOffset, eocd, count);
        checkLocalHeaders(entries, (int) cdOffset);
        List<Entry> result = new ArrayList<>(entries.size());
        for (CentralEntry entry : entries) {
            result.add(new Entry(entry.name(), inflate(entry), entry.compressedSize()));
        }
        return result;
    }

    private PackageException endRecordProblem() {
        int searchFrom = Math.max(0, archive.length - END_OF_CENTRAL_DIRECTORY_BYTES - MAX_COMMENT_BYTES);
        for (int at = archive.length - END_OF_CENTRAL_DIRECTORY_BYTES; at >= searchFrom; at--) {
            if (buf.getInt(at) == END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
                return unsupported("archive comments and trailing data are not allowed");
            }
        }
        return corrupt("no end-of-central-directory record: truncated, or not a ZIP archive");
    }

    private List<CentralEntry> readCentralDirectory(int start, int end, int count) throws PackageException {
        List<CentralEntry> entries = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        Set<String> foldedNames = new HashSet<>();
        long totalSize = 0;
        int at = start;
        for (int i = 0; i < count; i++) {
            if (at + CENTRAL_HEADER_BYTES > end || buf.getInt(at) != CENTRAL_HEADER_SIGNATURE) {
                throw corrupt("central directory entry " + i + " is truncated or damaged");
            }
            int madeBy = u16(at + 4);
            int flags = u16(at + 8);
            int method = u16(at + 10);
            int crc = buf.getInt(at + 16);
            long compressedSize = u32(at + 20);
            long size = u32(at + 24);
            int nameLength = u16(at + 28);
            int extraLength = u16(at + 30);
            int commentLength = u16(at + 32);
            long externalAttributes = u32(at + 38);
            long localOffset = u32(at + 42);
            int next = at + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
            if (next > end) {
                throw corrupt("central directory entry " + i + " runs past the central directory");
            }
            byte[] nameBytes = new byte[nameLength];
            buf.get(at + CENTRAL_HEADER_BYTES, nameBytes);
            String name = decodeName(nameBytes, flags, i);
            checkFlagsAndMethod(name, flags, method);
            if (u16(at + 34) != 0) {
                throw unsupported("entry '" + PackagePaths.printable(name) + "' is on another volume");
            }
            checkFileType(name, madeBy, externalAttributes);
            PackagePaths.check(name);
            if (extraLength != 0 || commentLength != 0) {
                throw unsupported("entry '" + PackagePaths.printable(name) + "' has extra fields or a comment");
            }
            if (!names.add(name)) {
                throw new PackageException(Reason.DUPLICATE_NAME, "duplicate entry '" + PackagePaths.printable(name) + "'");
            }
            // Case-insensitive and normalising file systems (macOS, Windows) would merge these.
            if (!foldedNames.add(Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT))) {
                throw new PackageException(Reason.DUPLICATE_NAME,
                        "entry '" + PackagePaths.printable(name) + "' differs from another only in letter case or Unicode normalization");
            }
            if (size > limits.fileBytesMax()) {
                throw new PackageException(Reason.FILE_TOO_LARGE,
                        "entry '" + PackagePaths.printable(name) + "' is " + size + " bytes; the limit is " + limits.fileBytesMax());
            }
            totalSize += size;
            if (totalSize > limits.uncompressedBytesMax()) {
                throw new PackageException(Reason.TOTAL_TOO_LARGE,
                        "archive holds more than " + limits.uncompressedBytesMax() + " bytes uncompressed");
            }
            if (method == METHOD_STORED && compressedSize != size) {
                throw corrupt("stored entry '" + PackagePaths.printable(name) + "' has different compressed and uncompressed sizes");
            }
            if (size > (long) limits.compressionRatioMax() * Math.max(compressedSize, 1)) {
                throw new PackageException(Reason.COMPRESSION_RATIO, "entry '" + PackagePaths.printable(name)
                        + "' expands more than " + limits.compressionRatioMax() + " times");
            }
            entries.add(new CentralEntry(name, nameBytes, flags, method, crc, compressedSize, size, localOffset));
            at = next;
        }
        if (at != end) {
            throw corrupt("central directory holds more than its " + count + " declared entries");
        }
        return entries;
    }

    private String decodeName(byte[] nameBytes, int flags, int index) throws PackageException {
        // Without the UTF-8 flag, other readers decode names as CP437; only ASCII reads the same both ways.
        if ((flags & FLAG_UTF8) == 0) {
            for (byte b : nameBytes) {
                if (b < 0) {
                    throw new PackageException(Reason.NON_UTF8_NAME, "entry " + index + " has a non-ASCII name without the UTF-8 flag");
                }
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(nameBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PackageException(Reason.NON_UTF8_NAME, "entry " + index + " has a name that is not valid UTF-8");
        }
    }

    private static void checkFlagsAndMethod(String name, int flags, int method) throws PackageException {
        String shown = PackagePaths.printable(name);
        if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_CENTRAL_DIRECTORY_ENCRYPTED)) != 0 || method == METHOD_AES) {
            throw new PackageException(Reason.ENCRYPTED_ENTRY, "entry '" + shown + "' is encrypted");
        }
        if ((flags & FLAG_DATA_DESCRIPTOR) != 0) {
            throw unsupported("entry '" + shown + "' uses a data descriptor");
        }
        if ((flags & ~FLAGS_ALLOWED) != 0) {
            throw unsupported("entry '" + shown + "' has unsupported flags 0x" + Integer.toHexString(flags));
        }
        if (method != METHOD_STORED && method != METHOD_DEFLATED) {
            throw unsupported("entry '" + shown + "' uses compression method " + method + " (only stored and deflate)");
        }
    }

    private static void checkFileType(String name, int madeBy, long externalAttributes) throws PackageException {
        String shown = PackagePaths.printable(name);
        int host = madeBy >> 8;
        if (host != HOST_MSDOS && host != HOST_UNIX) {
            // Other hosts give the attribute bits other meanings; unzip still reads Unix modes from
            // some of them, so accepting them would let a symlink through.
            throw unsupported("entry '" + shown + "' was made on host system " + host + " (only MS-DOS and Unix attributes are understood)");
        }
        if (name.endsWith("/") || (externalAttributes & MSDOS_DIRECTORY_ATTRIBUTE) != 0) {
            throw new PackageException(Reason.NOT_REGULAR_FILE, "entry '" + shown + "' is a directory; packages hold files only");
        }
        // Checked whatever the host byte says: a Unix mode in the high bits is honoured by extractors.
        int type = (int) (externalAttributes >>> 16) & UNIX_FILE_TYPE_MASK;
        if (type == UNIX_SYMLINK) {
            throw new PackageException(Reason.NOT_REGULAR_FILE, "entry '" + shown + "' is a symbolic link");
        }
        if (type != 0 && type != UNIX_REGULAR_FILE) {
            throw new PackageException(Reason.NOT_REGULAR_FILE, "entry '" + shown + "' is not a regular file");
        }
    }

    /** Entries must sit back to back from offset 0, in central-directory order, with matching headers. */
    private void checkLocalHeaders(List<CentralEntry> entries, int cdOffset) throws PackageException {
        long expected = 0;
        for (CentralEntry entry : entries) {
            String shown = PackagePaths.printable(entry.name());
            if (entry.localOffset() != expected) {
                throw corrupt("entry '" + shown + "' is not where the archive layout puts it (gap, overlap or reordering)");
            }
            int at = (int) expected;
            if (at + LOCAL_HEADER_BYTES > cdOffset || buf.getInt(at) != LOCAL_HEADER_SIGNATURE) {
                throw corrupt("local header of '" + shown + "' is truncated or damaged");
            }
            int nameLength = u16(at + 26);
            int extraLength = u16(at + 28);
            if (u16(at + 6) != entry.flags() || u16(at + 8) != entry.method() || buf.getInt(at + 14) != entry.crc()
                    || u32(at + 18) != entry.compressedSize() || u32(at + 22) != entry.size()
                    || nameLength != entry.nameBytes().length || extraLength != 0) {
                throw corrupt("local header of '" + shown + "' disagrees with the central directory");
            }
            if (at + LOCAL_HEADER_BYTES + nameLength > cdOffset
                    || !java.util.Arrays.equals(archive, at + LOCAL_HEADER_BYTES, at + LOCAL_HEADER_BYTES + nameLength,
                            entry.nameBytes(), 0, nameLength)) {
                throw corrupt("local header of '" + shown + "' names a different file than the central directory");
            }
            expected = (long) at + LOCAL_HEADER_BYTES + nameLength + entry.compressedSize();
            if (expected > cdOffset) {
                throw corrupt("data of '" + shown + "' runs into the central directory (truncated)");
            }
        }
        if (expected != cdOffset) {
            throw corrupt("unexpected data between the last entry and the central directory");
        }
    }

    private byte[] inflate(CentralEntry entry) throws PackageException {
        int start = (int) (entry.localOffset() + LOCAL_HEADER_BYTES + entry.nameBytes().length);
        int compressedSize = (int) entry.compressedSize();
        byte[] out = new byte[(int) entry.size()];
        String shown = PackagePaths.printable(entry.name());
        if (entry.method() == METHOD_STORED) {
            System.arraycopy(archive, start, out, 0, out.length);
        } else {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(archive, start, compressedSize);
                int filled = 0;
                // inflate() returns 0 only when it needs input, a dictionary, or is finished: the loop
                // ends after at most out.length bytes, whatever the data says.
                while (filled < out.length) {
                    int n = inflater.inflate(out, filled, out.length - filled);
                    if (n == 0) {
                        break;
                    }
                    filled += n;
                }
                if (filled < out.length) {
                    throw corrupt("entry '" + shown + "' inflates to fewer bytes than declared (truncated or damaged)");
                }
                if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                    throw corrupt("entry '" + shown + "' inflates to more bytes than declared");
                }
                if (!inflater.finished()) {
                    throw corrupt("entry '" + shown + "' has a truncated deflate stream");
                }
                if (inflater.getRemaining() != 0) {
                    throw corrupt("entry '" + shown + "' has data after its deflate stream");
                }
            } catch (DataFormatException e) {
                throw corrupt("entry '" + shown + "' has invalid deflate data");
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if ((int) crc.getValue() != entry.crc()) {
            throw corrupt("entry '" + shown + "' fails its CRC-32 check");
        }
        return out;
    }

    private int u16(int at) {
        return Short.toUnsignedInt(buf.getShort(at));
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(buf.getInt(at));
    }

    private static PackageException corrupt(String message) {
        return new PackageException(Reason.CORRUPT, message);
    }

    private static PackageException unsupported(String message) {
        return new PackageException(Reason.UNSUPPORTED_ZIP_FEATURE, message);
    }
}
