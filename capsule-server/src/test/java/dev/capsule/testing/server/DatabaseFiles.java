package dev.capsule.testing.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The raw files of the test database, for tests that check that erased data left them: the directory of the current
 * database in the cluster ({@code base/<oid>}: tables, indexes, free space maps; not the write-ahead log) and a byte
 * search over its files. Run {@code CHECKPOINT} first, so that what the buffers hold is on disk.
 */
public final class DatabaseFiles {
    private DatabaseFiles() {
    }

    /** This database's directory in the cluster. */
    public static Path directory(JdbcClient jdbc) {
        Path dataDirectory = Path.of(jdbc.sql("SHOW data_directory").query(String.class).single());
        String oid = jdbc.sql("SELECT oid::text FROM pg_database WHERE datname = current_database()").query(String.class).single();
        Path directory = dataDirectory.resolve("base").resolve(oid);
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("no database directory at " + directory);
        }
        return directory;
    }

    /** The files of {@code directory} that contain {@code needle}. */
    public static List<Path> holding(Path directory, byte[] needle) throws IOException {
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (contains(Files.readAllBytes(file), needle)) {
                    holding.add(file);
                }
            }
        }
        return holding;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
