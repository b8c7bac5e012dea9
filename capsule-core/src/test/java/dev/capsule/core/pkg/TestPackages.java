package dev.capsule.core.pkg;

import dev.capsule.core.testing.ZipCrafter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Small valid packages and ways to bend them, for tests. */
final class TestPackages {
    private TestPackages() {}

    static SortedMap<String, byte[]> minimalSources() {
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        files.put("capsule.json", utf8("""
                {"id":"com.example.min","version":"1.0.0","name":"Min","developer":{"id":"example","name":"Example Ltd"},
                 "network":{"request":["api.example.com"]}}"""));
        files.put("app.json", utf8("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", utf8("App({})"));
        files.put("pages/index/index.js", utf8("Page({data:{n:1}})"));
        return files;
    }

    static Path writeSources(Path dir, Map<String, byte[]> files) throws IOException {
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return dir;
    }

    /** A ZipCrafter holding {@code files} and their correct digest manifest. */
    static ZipCrafter crafter(Map<String, byte[]> files) {
        ZipCrafter zip = new ZipCrafter();
        var all = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        all.putAll(files);
        all.put(DigestManifest.PATH, DigestManifest.of(files).encode());
        all.forEach(zip::add);
        return zip;
    }

    /** An unsigned canonical package of the minimal sources. */
    static byte[] minimal() {
        return write(withManifest(minimalSources()));
    }

    static SortedMap<String, byte[]> withManifest(Map<String, byte[]> files) {
        var all = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        all.putAll(files);
        all.put(DigestManifest.PATH, DigestManifest.of(files).encode());
        return all;
    }

    static byte[] write(SortedMap<String, byte[]> entries) {
        var sorted = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        sorted.putAll(entries);
        return DeterministicZipWriter.write(sorted, PackageLimits.COMPRESSION_RATIO_MAX);
    }

    /** Reads every entry of a canonical archive (metadata included), lets {@code edit} change them, writes it again. */
    static byte[] rewrite(byte[] archive, Consumer<SortedMap<String, byte[]>> edit) throws PackageException {
        var entries = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        for (StrictZipReader.Entry e : StrictZipReader.read(archive, PackageLimits.DEFAULTS)) {
            entries.put(e.name(), e.data());
        }
        edit.accept(entries);
        return write(entries);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
