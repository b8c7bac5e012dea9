package dev.capsule.runtime;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.SemanticVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * This runtime's version: the Maven project version of capsule-runtime, which the build writes into the
 * resource {@value #RESOURCE} (one source: the POM). A package states the lowest version it runs on
 * (capsule.json {@code "minRuntime"}); the platform states one for everything (its revocation list's
 * {@code minimumRuntime}). Ordered by Semantic Versioning precedence, so a pre-release build
 * ({@code 0.1.0-SNAPSHOT}) is below its release ({@code 0.1.0}).
 */
public final class RuntimeVersion {
    /** The class-path resource the build writes the version into. */
    public static final String RESOURCE = "/dev/capsule/runtime/runtime-version.properties";

    private static final SemanticVersion CURRENT = load();

    private RuntimeVersion() {}

    /** This runtime's version. */
    public static SemanticVersion current() {
        return CURRENT;
    }

    /**
     * Why this runtime must not launch a package with {@code manifest}, if it must not: the package needs a
     * newer runtime. The text is one line for a user.
     */
    public static Optional<String> refusal(CapsuleManifest manifest) {
        return manifest.minRuntime().filter(CURRENT::isLowerThan).map(minimum -> manifest.id() + " " + manifest.version()
                + " needs Capsule runtime " + minimum + " or newer; this runtime is " + CURRENT);
    }

    private static SemanticVersion load() {
        try (InputStream in = RuntimeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the runtime's build is incomplete: " + RESOURCE + " is missing");
            }
            Properties p = new Properties();
            p.load(in);
            return SemanticVersion.parse(p.getProperty("version", ""));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the runtime's build is incomplete: " + RESOURCE + " holds no semantic version", e);
        }
    }
}
