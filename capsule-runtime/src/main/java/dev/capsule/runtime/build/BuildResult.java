package dev.capsule.runtime.build;

import dev.capsule.core.pkg.LeftOut;
import java.util.List;
import java.util.Objects;

/**
 * A built mini-program: the unsigned package (exactly what runs: ES modules already CommonJS), the
 * files of the directory left out and why, the package paths compiled from ES modules, app.json's
 * warnings (such as plugins, accepted but not provided), whether capsule.json was the default the
 * caller gave because the directory has none, and which compiled paths are the {@code .js} of a
 * TypeScript source (a subset of {@code compiled}).
 */
public record BuildResult(byte[] archive, List<LeftOut> leftOut, List<String> compiled, List<String> warnings, boolean manifestDefaulted,
        List<String> fromTypeScript) {
    public BuildResult {
        Objects.requireNonNull(archive, "archive");
        leftOut = List.copyOf(leftOut);
        compiled = List.copyOf(compiled);
        fromTypeScript = List.copyOf(fromTypeScript);
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return "BuildResult[" + archive.length + " bytes, " + leftOut.size() + " left out, " + compiled.size() + " compiled, "
                + warnings.size() + " warnings]";
    }
}
