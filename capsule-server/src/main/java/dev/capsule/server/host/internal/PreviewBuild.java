package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the development preview has built from its directory: the last package that built (sessions start from it)
 * and, when the newest attempt failed, why. A failed rebuild keeps the last good package running, as WeChat's
 * developer tools keep the simulator while they show the compile error; the /dev page shows the error.
 *
 * @param generation counts every outcome that changed something (a new package or a new failure); the /dev page
 *                   waits for it to pass the one it shows
 * @param at         when this outcome was reached
 * @param built      the last package that built, empty while none has
 * @param failure    why the newest attempt failed, empty when it built
 */
public record PreviewBuild(long generation, Instant at, Optional<Built> built, Optional<Failure> failure) {
    public PreviewBuild {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(built, "built");
        Objects.requireNonNull(failure, "failure");
    }

    /**
     * A package built from the directory.
     *
     * @param entry    how the shell shows it (from its capsule.json; never verified: nothing is signed)
     * @param pkg      the unsigned package, exactly what runs
     * @param warnings what the build warned about (app.json, the view), each one escaped line
     */
    public record Built(CatalogueEntry entry, CapsulePackage pkg, List<String> warnings) {
        public Built {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(pkg, "pkg");
            warnings = warnings.stream().map(SafeText::escape).toList();
        }
    }

    /**
     * Why a build failed, as the page prints it.
     *
     * @param file    the package path of the file at fault, or empty when the failure is not one file's
     * @param line    1-based line (0 when unknown)
     * @param column  1-based column (0 when unknown)
     * @param message what is wrong, one escaped line (never a stack trace)
     */
    public record Failure(String file, int line, int column, String message) {
        public Failure {
            file = SafeText.escape(Objects.requireNonNull(file, "file"));
            message = SafeText.escape(Objects.requireNonNull(message, "message"));
        }

        /** {@code file:line:col message}, or the message alone when no file is at fault. */
        public String describe() {
            return file.isEmpty() ? message : file + ":" + line + ":" + column + " " + message;
        }
    }
}
