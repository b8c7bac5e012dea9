package dev.capsule.testing.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary directories for server data. World-searchable (0755), because when tests run as root the
 * embedded PostgreSQL runs as an unprivileged account that must reach its data directory inside.
 */
public final class TestDirectories {
    private TestDirectories() {
    }

    public static Path create(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }
}
