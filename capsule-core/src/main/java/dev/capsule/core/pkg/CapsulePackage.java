package dev.capsule.core.pkg;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.manifest.CapsuleManifest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A package that passed every structural check: safe archive, every file covered by the digest
 * manifest with matching digests, valid capsule.json and app.json, well-formed signatures that
 * name this package. It is NOT yet trusted: only {@link PackageVerifier} says who signed it.
 */
public final class CapsulePackage {
    private final SortedMap<String, byte[]> files;
    private final byte[] digestManifestBytes;
    private final DigestManifest digestManifest;
    private final CapsuleManifest manifest;
    private final AppConfig app;
    private final List<PackageSignature> signatures;
    private final byte[] archive;

    CapsulePackage(SortedMap<String, byte[]> files, byte[] digestManifestBytes, DigestManifest digestManifest, CapsuleManifest manifest,
            AppConfig app, List<PackageSignature> signatures, byte[] archive) {
        var copy = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        copy.putAll(files);
        this.files = Collections.unmodifiableSortedMap(copy);
        this.digestManifestBytes = digestManifestBytes.clone();
        this.digestManifest = digestManifest;
        this.manifest = manifest;
        this.app = app;
        this.signatures = List.copyOf(signatures);
        this.archive = archive.clone();
    }

    /** Source file paths, sorted. */
    public NavigableSet<String> paths() {
        return Collections.unmodifiableNavigableSet(new java.util.TreeSet<>(files.keySet()));
    }

    public boolean hasFile(String path) {
        return files.containsKey(path);
    }

    /** A copy of a source file's bytes. @throws IllegalArgumentException if there is no such file */
    public byte[] file(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new IllegalArgumentException("no file '" + path + "' in package " + manifest.id());
        }
        return data.clone();
    }

    public int fileSize(String path) {
        byte[] data = files.get(path);
        return data == null ? -1 : data.length;
    }

    public CapsuleManifest manifest() {
        return manifest;
    }

    public AppConfig app() {
        return app;
    }

    public DigestManifest digestManifest() {
        return digestManifest;
    }

    /** SHA-256 of the digest manifest bytes: the subject every signature covers. */
    public Sha256 digestManifestSha256() {
        return Sha256.of(digestManifestBytes);
    }

    byte[] digestManifestBytes() {
        return digestManifestBytes.clone();
    }

    public List<PackageSignature> signatures() {
        return signatures;
    }

    public int archiveBytes() {
        return archive.length;
    }

    /**
     * The archive this package was read from, byte for byte (a copy): what a runtime hands to a
     * worker process, which reads it again with the same checks.
     */
    public byte[] archive() {
        return archive.clone();
    }

    public long uncompressedBytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    Map<String, byte[]> filesView() {
        return files;
    }

    @Override
    public String toString() {
        return "CapsulePackage[" + manifest.id() + " " + manifest.version() + ", " + files.size() + " files, " + signatures.size() + " signatures]";
    }
}
