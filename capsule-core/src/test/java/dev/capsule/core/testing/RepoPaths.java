package dev.capsule.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths tests need: the repository root, the examples, and the shared external vectors. */
public final class RepoPaths {
    private RepoPaths() {}

    public static Path root() {
        String configured = System.getProperty("capsule.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("capsule-core"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + start);
    }

    public static Path example(String name) {
        Path dir = root().resolve("examples").resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("missing example " + dir);
        }
        return dir;
    }

    /**
     * A file under ../shared/vectors. Fails (never skips) when the folder is missing: a test that
     * silently skips its external vectors proves nothing.
     */
    public static Path vector(String relative) {
        Path vectors = root().resolveSibling("shared").resolve("vectors");
        if (!Files.isDirectory(vectors)) {
            throw new AssertionError("external test vectors not found at " + vectors
                    + ": clone the project with ../shared beside it");
        }
        Path file = vectors.resolve(relative);
        if (!Files.exists(file)) {
            throw new AssertionError("vector file missing: " + file);
        }
        return file;
    }
}
