package dev.capsule.server.registry;

import dev.capsule.server.advisories.AdvisoryImports;
import dev.capsule.testing.server.TestDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.context.ApplicationContext;

/**
 * OSV advisories in the server's store, imported as {@code capsule osv import} imports them (the advisories
 * module's {@link AdvisoryImports}) from an OSV export of one advisory: {@code left-pad} below 1.3.0 is
 * CRITICAL. Importing twice changes nothing (same {@code modified}).
 */
public final class TestAdvisories {
    static final String VULNERABLE_LIBRARY = "left-pad";
    static final String ADVISORY_ID = "GHSA-test-left-pad";

    private TestAdvisories() {
    }

    public static void imported(ApplicationContext context) {
        String osv = """
                {"schema_version": "1.6.0", "id": "%s", "modified": "2024-01-01T00:00:00Z",
                 "summary": "left-pad pads too much",
                 "database_specific": {"severity": "CRITICAL"},
                 "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
                               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
                """.formatted(ADVISORY_ID, VULNERABLE_LIBRARY);
        try {
            Path zip = TestDirectories.create("capsule-osv").resolve("all.zip");
            try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
                out.putNextEntry(new ZipEntry(ADVISORY_ID + ".json"));
                out.write(osv.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            context.getBean(AdvisoryImports.class).importFile(zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the test advisory was not imported", e);
        }
    }
}
