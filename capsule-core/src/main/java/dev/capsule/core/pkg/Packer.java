package dev.capsule.core.pkg;

import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.manifest.CapsuleManifestParser;
import dev.capsule.core.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a mini-program source directory (spec §1) into a .capsule archive, unsigned.
 *
 * <p>Hidden files and folders (names starting with '.') and whatever project.config.json's
 * {@code packOptions.ignore} names are left out. Symbolic links and other non-regular files are an
 * error, never followed. The result is deterministic: the same files give the same bytes. Room is
 * kept within the limits for a developer signature and a platform countersignature.
 */
public final class Packer {
    /** Entries kept free for the digest manifest and two signatures (developer and platform). */
    public static final int RESERVED_ENTRIES = 3;
    /** Bytes kept free for two signatures: an envelope entry is about 1 KiB with its headers. */
    public static final int RESERVED_SIGNATURE_BYTES = 4 * 1024;

    private Packer() {}

    public static byte[] pack(Path dir) throws IOException, PackageException {
        return pack(dir, PackageLimits.DEFAULTS);
    }

    public static byte[] pack(Path dir, PackageLimits limits) throws IOException, PackageException {
        return pack(collect(dir, limits), limits);
    }

    /**
     * Reads the files {@link #pack(Path)} would pack, without packing them: hidden files and ignored
     * paths left out, symlinks refused, every limit applied.
     */
    public static SortedMap<String, byte[]> collect(Path dir, PackageLimits limits) throws IOException, PackageException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        Path root = dir.toRealPath();
        Path config = root.resolve(PackIgnore.CONFIG_FILE);
        PackIgnore ignore = Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)
                ? PackIgnore.parse(readBounded(config, limits.fileBytesMax()))
                : PackIgnore.NONE;
        List<Path> found = collect(root, ignore, limits);
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        long total = 0;
        for (Path file : found) {
            String name = relativeName(root, file);
            byte[] data = readBounded(file, limits.fileBytesMax());
            total += data.length;
            if (total > limits.uncompressedBytesMax()) {
                throw new PackageException(Reason.TOTAL_TOO_LARGE, "sources exceed " + limits.uncompressedBytesMax() + " bytes");
            }
            files.put(name, data);
        }
        return files;
    }

    /** Packs files given by name (as {@link #collect} returns them): validated, deterministic, unsigned. */
    public static byte[] pack(Map<String, byte[]> sources, PackageLimits limits) throws PackageException {
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        for (var e : sources.entrySet()) {
            PackagePaths.check(e.getKey());
            if (e.getKey().startsWith(PackagePaths.METADATA_PREFIX)) {
                throw new PackageException(Reason.UNSAFE_PATH, "'" + e.getKey() + "' uses the reserved folder " + PackagePaths.METADATA_PREFIX);
            }
            files.put(e.getKey(), e.getValue());
        }
        if (files.size() > limits.entriesMax() - RESERVED_ENTRIES) {
            throw new PackageException(Reason.TOO_MANY_ENTRIES, "more than " + (limits.entriesMax() - RESERVED_ENTRIES) + " files to pack");
        }
        validateManifests(files);
        var entries = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        entries.putAll(files);
        entries.put(DigestManifest.PATH, DigestManifest.of(files).encode());
        byte[] archive = DeterministicZipWriter.write(entries, limits.compressionRatioMax());
        if (archive.length > limits.archiveBytesMax() - RESERVED_SIGNATURE_BYTES) {
            throw new PackageException(Reason.ARCHIVE_TOO_LARGE, "the package would be " + archive.length + " bytes; the limit is "
                    + limits.archiveBytesMax() + " bytes compressed, less " + RESERVED_SIGNATURE_BYTES + " kept for signatures");
        }
        // Invariant: whatever pack writes, read accepts. Checked every time; it costs one parse.
        PackageReader.read(archive, limits);
        return archive;
    }

    private static List<Path> collect(Path root, PackIgnore ignore, PackageLimits limits) throws IOException, PackageException {
        List<Path> found = new ArrayList<>();
        PackageException[] problem = new PackageException[1];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (d.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    return hidden(d) || ignore.ignores(relativeName(root, d) + "/") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                } catch (PackageException e) {
                    problem[0] = e;
                    return FileVisitResult.TERMINATE;
                }
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                String name = relativeName(root, f);
                try {
                    if (hidden(f) || ignore.ignores(name)) {
                        return FileVisitResult.CONTINUE;
                    }
                } catch (PackageException e) {
                    problem[0] = e;
                    return FileVisitResult.TERMINATE;
                }
                if (!attrs.isRegularFile()) {
                    problem[0] = new PackageException(Reason.NOT_REGULAR_FILE,
                            "'" + PackagePaths.printable(name) + "' is " + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                                    + "; packages hold regular files only");
                } else if (name.startsWith(PackagePaths.METADATA_PREFIX)) {
                    problem[0] = new PackageException(Reason.UNSAFE_PATH, "'" + name + "' uses the reserved folder " + PackagePaths.METADATA_PREFIX);
                } else if (attrs.size() > limits.fileBytesMax()) {
                    problem[0] = new PackageException(Reason.FILE_TOO_LARGE,
                            "'" + PackagePaths.printable(name) + "' is " + attrs.size() + " bytes; the limit is " + limits.fileBytesMax());
                } else if (found.size() >= limits.entriesMax() - RESERVED_ENTRIES) {
                    problem[0] = new PackageException(Reason.TOO_MANY_ENTRIES, "more than " + (limits.entriesMax() - RESERVED_ENTRIES)
                            + " files to pack (" + RESERVED_ENTRIES + " of the " + limits.entriesMax() + " entries are kept for the manifest and signatures)");
                } else {
                    try {
                        PackagePaths.check(name);
                    } catch (PackageException e) {
                        problem[0] = e;
                    }
                }
                if (problem[0] != null) {
                    return FileVisitResult.TERMINATE;
                }
                found.add(f);
                return FileVisitResult.CONTINUE;
            }
        });
        if (problem[0] != null) {
            throw problem[0];
        }
        return found;
    }

    private static void validateManifests(TreeMap<String, byte[]> files) throws PackageException {
        try {
            byte[] capsuleJson = files.get(CapsuleManifestParser.FILE_NAME);
            if (capsuleJson == null) {
                throw new ManifestException("no " + CapsuleManifestParser.FILE_NAME + ": every package needs its security manifest");
            }
            CapsuleManifestParser.parse(capsuleJson);
            byte[] appJson = files.get(AppConfig.FILE_NAME);
            if (appJson == null) {
                throw new ManifestException("no " + AppConfig.FILE_NAME);
            }
            AppConfig.parse(appJson, files::containsKey);
        } catch (ManifestException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static String relativeName(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    /** Reads at most {@code bytesMax} bytes: a file that grows while we read is still bounded. */
    private static byte[] readBounded(Path file, int bytesMax) throws IOException, PackageException {
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = in.readNBytes(bytesMax + 1);
            if (data.length > bytesMax) {
                throw new PackageException(Reason.FILE_TOO_LARGE, "'" + file.getFileName() + "' is larger than " + bytesMax + " bytes");
            }
            return data;
        }
    }
}
