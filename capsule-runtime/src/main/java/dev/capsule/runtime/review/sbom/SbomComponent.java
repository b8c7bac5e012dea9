package dev.capsule.runtime.review.sbom;

import dev.capsule.core.osv.PackageRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One third-party library of a scanned package: an npm package at one version, declared in capsule.json's
 * {@code dependencies}, detected in the package's files, or both (then it is one component with both facts).
 *
 * @param evidence where in the package it was detected (empty for a declared-only component)
 */
public record SbomComponent(String name, String version, boolean declared, List<Evidence> evidence) {
    /** A path (and the 1-based line of a version banner, 0 for a package.json) where a library was detected. */
    public record Evidence(String path, int line) {
        public Evidence {
            Objects.requireNonNull(path, "path");
            if (line < 0) {
                throw new IllegalArgumentException("line must be 0 or positive");
            }
        }
    }

    public SbomComponent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        evidence = List.copyOf(evidence);
        if (!declared && evidence.isEmpty()) {
            throw new IllegalArgumentException("a component is declared or detected");
        }
    }

    public PackageRef pkg() {
        return PackageRef.of("npm", name);
    }

    /**
     * The package URL (purl-spec, npm type): {@code pkg:npm/name@version}, a scope as the namespace with its "@"
     * percent-encoded ({@code pkg:npm/%40babel/core@7.0.0}), every other reserved character percent-encoded.
     */
    public String purl() {
        int slash = name.indexOf('/');
        String path = name.startsWith("@") && slash > 0
                ? encode(name.substring(0, slash)) + "/" + encode(name.substring(slash + 1))
                : encode(name);
        return "pkg:npm/" + path + "@" + encode(version);
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
