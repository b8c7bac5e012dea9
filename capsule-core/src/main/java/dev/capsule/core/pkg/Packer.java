package dev.capsule.core.pkg;

import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.manifest.CapsuleManifestParser;
import dev.capsule.core.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a mini-program source directory (spec §1) into a .capsule archive, unsigned.
 *
 * <p>What is packed follows WeChat's developer tools at upload ({@link SourceWalk}): the files of
 * the mini-program's folder (the directory itself, or project.config.json's {@code miniprogramRoot}
 * in it), less hidden files and folders, {@code node_modules}, the cloud-function folder, whatever
 * {@code packOptions.ignore} names and files whose type is not on WeChat's upload whitelist
 * ({@link UploadFileTypes}), each reported in {@link SourceSet#leftOut()}. Symbolic
 * links and other non-regular files are an error, never followed. The result is deterministic: the
 * same files give the same bytes. WeChat's limits apply per (sub)package, and room is kept within the
 * archive limits for a developer signature and a platform countersignature.
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

    /** Collects and packs a source directory as it is (no compilation step): {@code pack(collectSources(dir).files())}. */
    public static byte[] pack(Path dir, PackageLimits limits) throws IOException, PackageException {
        return pack(collectSources(dir, limits).files(), limits);
    }

    /**
     * Reads the files WeChat's tools would upload from a source directory, without packing them:
     * left-out files reported with their reason, symlinks refused, the per-file and total limits
     * applied (the per-package ones need app.json and are {@link #pack(Map, PackageLimits)}'s).
     */
    public static SourceSet collectSources(Path dir, PackageLimits limits) throws IOException, PackageException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        Path project = dir.toRealPath();
        Path config = project.resolve(ProjectConfig.FILE_NAME);
        ProjectConfig projectConfig = Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)
                ? ProjectConfig.parse(readBounded(config, ProjectConfig.FILE_BYTES_MAX))
                : ProjectConfig.NONE;
        Path root = miniprogramRoot(project, projectConfig.miniprogramRoot());
        SourceWalk walk = SourceWalk.walk(root, projectConfig, limits);
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        long total = 0;
        for (var found : walk.files().entrySet()) {
            byte[] data = readBounded(found.getValue(), limits.fileBytesMax());
            total += data.length;
            if (total > limits.uncompressedBytesMax()) {
                throw new PackageException(Reason.TOTAL_TOO_LARGE, "sources exceed " + limits.uncompressedBytesMax() + " bytes");
            }
            files.put(found.getKey(), data);
        }
        return new SourceSet(files, walk.leftOut());
    }

    /**
     * Packs files given by name (as {@link #collectSources} returns them, TypeScript sources already compiled): validated,
     * deterministic, unsigned. A {@code .ts} file is refused ({@link Reason#UNCOMPILED_SOURCE}).
     */
    public static byte[] pack(Map<String, byte[]> sources, PackageLimits limits) throws PackageException {
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        for (var e : sources.entrySet()) {
            PackagePaths.check(e.getKey());
            if (e.getKey().startsWith(PackagePaths.METADATA_PREFIX)) {
                throw new PackageException(Reason.UNSAFE_PATH, "'" + e.getKey() + "' uses the reserved folder " + PackagePaths.METADATA_PREFIX);
            }
            if (SourceSet.typeScript(e.getKey())) {
                // A package holds what runs: WeChat's tools upload the compiled .js, never the TypeScript source.
                throw new PackageException(Reason.UNCOMPILED_SOURCE, "'" + PackagePaths.printable(e.getKey())
                        + "' is TypeScript: it must be compiled to " + PackagePaths.printable(SourceSet.compiledPath(e.getKey()))
                        + " first (capsule pack does)");
            }
            files.put(e.getKey(), e.getValue());
        }
        if (files.size() > limits.entriesMax() - RESERVED_ENTRIES) {
            throw new PackageException(Reason.TOO_MANY_ENTRIES, "more than " + (limits.entriesMax() - RESERVED_ENTRIES) + " files to pack");
        }
        AppConfig app = validateManifests(files);
        // Counted before writing, so the message names the (sub)package; compressed sizes are known after.
        PackageSizes.of(app, files, name -> 0L).check(limits);
        var entries = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        entries.putAll(files);
        entries.put(DigestManifest.PATH, DigestManifest.of(files).encode());
        byte[] archive = DeterministicZipWriter.write(entries, limits.compressionRatioMax());
        if (archive.length > limits.archiveBytesMax() - RESERVED_SIGNATURE_BYTES) {
            throw new PackageException(Reason.ARCHIVE_TOO_LARGE, "the package would be " + archive.length + " bytes; the limit is "
                    + limits.archiveBytesMax() + " bytes compressed, less " + RESERVED_SIGNATURE_BYTES + " kept for signatures");
        }
        // Invariant: whatever pack writes, read accepts (this also applies the per-package compressed limit).
        PackageReader.read(archive, limits);
        return archive;
    }

    private static AppConfig validateManifests(SortedMap<String, byte[]> files) throws PackageException {
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
            return AppConfig.parse(appJson, files::containsKey);
        } catch (ManifestException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
    }

    /** The folder holding app.json: the project folder, or its {@code miniprogramRoot}, which must be a real folder inside it. */
    private static Path miniprogramRoot(Path project, String miniprogramRoot) throws IOException, PackageException {
        if (miniprogramRoot.isEmpty()) {
            return project;
        }
        Path root = project.resolve(miniprogramRoot);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) || !root.toRealPath().startsWith(project)) {
            throw new PackageException(Reason.INVALID_MANIFEST, ProjectConfig.FILE_NAME + ": miniprogramRoot '"
                    + PackagePaths.printable(miniprogramRoot) + "' is not a folder inside the project (symbolic links are not followed)");
        }
        return root;
    }

    /** Reads at most {@code bytesMax} bytes: a file that grows while we read is still bounded. */
    private static byte[] readBounded(Path file, int bytesMax) throws IOException, PackageException {
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = in.readNBytes(bytesMax + 1);
            if (data.length > bytesMax) {
                throw new PackageException(Reason.FILE_TOO_LARGE, "'" + PackagePaths.printable(file.getFileName().toString())
                        + "' is larger than " + bytesMax + " bytes");
            }
            return data;
        }
    }
}
