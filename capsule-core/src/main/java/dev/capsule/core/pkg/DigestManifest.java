package dev.capsule.core.pkg;

import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest manifest, {@code _capsule/manifest.sha256}: one line per source file, sorted by path in
 * unsigned UTF-8 byte order, in the format of {@code sha256sum} ({@code <64 hex>  <path>\n}). After
 * unzipping a package, {@code sha256sum -c _capsule/manifest.sha256} checks it with no Capsule code.
 *
 * <p>Security guarantees: parsing accepts exactly one byte string per file set (sorted, no
 * duplicates, lower-case hex, one trailing newline), so its SHA-256, which signatures cover, names
 * exactly one set of (path, content) pairs.
 */
public record DigestManifest(SortedMap<String, Sha256> digests) {
    public static final String PATH = PackagePaths.METADATA_PREFIX + "manifest.sha256";
    private static final int HEX_CHARS = 2 * Sha256.LENGTH_BYTES;

    public DigestManifest {
        var sorted = new TreeMap<String, Sha256>(PackagePaths.ORDER);
        sorted.putAll(digests);
        digests = Collections.unmodifiableSortedMap(sorted);
    }

    /** Digests of every file in {@code files}. */
    public static DigestManifest of(Map<String, byte[]> files) {
        var digests = new TreeMap<String, Sha256>(PackagePaths.ORDER);
        files.forEach((path, data) -> digests.put(path, Sha256.of(data)));
        return new DigestManifest(digests);
    }

    public byte[] encode() {
        StringBuilder text = new StringBuilder(digests.size() * 100);
        digests.forEach((path, digest) -> text.append(digest.hex()).append("  ").append(path).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the canonical form; anything else is {@link Reason#MALFORMED_METADATA}. */
    public static DigestManifest parse(byte[] bytes, int entriesMax) throws PackageException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw malformed("last line has no newline");
        }
        var digests = new TreeMap<String, Sha256>(PackagePaths.ORDER);
        String previous = null;
        int lineNumber = 0;
        String body = text.isEmpty() ? "" : text.substring(0, text.length() - 1);
        for (String line : body.isEmpty() ? new String[0] : body.split("\n", -1)) {
            lineNumber++;
            if (lineNumber > entriesMax) {
                throw malformed("more than " + entriesMax + " lines");
            }
            if (line.length() < HEX_CHARS + 3 || !line.startsWith("  ", HEX_CHARS)) {
                throw malformed("line " + lineNumber + " is not '<sha256>  <path>'");
            }
            Sha256 digest;
            try {
                digest = Sha256.fromHex(line.substring(0, HEX_CHARS));
            } catch (IllegalArgumentException e) {
                throw malformed("line " + lineNumber + ": " + e.getMessage());
            }
            String path = line.substring(HEX_CHARS + 2);
            PackagePaths.check(path);
            if (path.startsWith(PackagePaths.METADATA_PREFIX)) {
                throw malformed("line " + lineNumber + " lists Capsule metadata");
            }
            if (previous != null && PackagePaths.ORDER.compare(previous, path) >= 0) {
                throw malformed("line " + lineNumber + " is out of order or repeats a path");
            }
            previous = path;
            digests.put(path, digest);
        }
        DigestManifest manifest = new DigestManifest(digests);
        if (!java.util.Arrays.equals(manifest.encode(), bytes)) {
            throw malformed("not in canonical form");
        }
        return manifest;
    }

    private static PackageException malformed(String detail) {
        return new PackageException(Reason.MALFORMED_METADATA, PATH + ": " + detail);
    }
}
