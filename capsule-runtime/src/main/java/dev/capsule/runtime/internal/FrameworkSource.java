package dev.capsule.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The trusted framework script (framework.js), read once from the jar. */
final class FrameworkSource {
    static final String TEXT = load();

    private FrameworkSource() {}

    private static String load() {
        try (InputStream in = FrameworkSource.class.getResourceAsStream("framework.js")) {
            if (in == null) {
                throw new IllegalStateException("framework.js missing from the runtime jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
