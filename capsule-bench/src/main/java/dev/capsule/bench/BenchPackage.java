package dev.capsule.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The mini-program source tree the benchmarks pack and verify: the four files every package needs
 * plus incompressible assets (random bytes, like photos or already-compressed media) sized so the
 * signed package is close to, but below, the 2 MiB compressed limit.
 */
final class BenchPackage {
    /** Five assets of 400 KiB: 2,048,000 bytes that deflate cannot shrink, so they are stored. */
    static final int ASSET_COUNT = 5;
    static final int ASSET_BYTES = 400 * 1024;
    /** Fixed seed: every run packs exactly the same bytes. */
    private static final long SEED = 0x5EED_CAB5L;

    private BenchPackage() {}

    /** Writes the tree into a new temporary directory and returns it. */
    static Path createSourceTree() throws IOException {
        Path dir = Files.createTempDirectory("capsule-bench-");
        write(dir, "capsule.json",
                "{\"id\":\"com.example.bench\",\"version\":\"1.0.0\",\"name\":\"Bench\",\"developer\":{\"id\":\"bench\",\"name\":\"Bench Ltd\"}}");
        write(dir, "app.json", "{\"pages\":[\"pages/index/index\"]}");
        write(dir, "app.js", "App({})");
        write(dir, "pages/index/index.js", "Page({data:{}})");
        Random random = new Random(SEED);
        Files.createDirectories(dir.resolve("assets"));
        for (int i = 0; i < ASSET_COUNT; i++) {
            byte[] data = new byte[ASSET_BYTES];
            random.nextBytes(data);
            Files.write(dir.resolve("assets/img-" + i + ".bin"), data);
        }
        return dir;
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
