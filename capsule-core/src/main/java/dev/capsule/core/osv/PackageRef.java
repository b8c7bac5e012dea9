package dev.capsule.core.osv;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A package in one ecosystem, as OSV names it ({@code affected[].package}): OSV matches on ecosystem and name,
 * exactly (case-sensitive); {@code purl} is informative only (never used for matching) and may be null.
 */
public record PackageRef(String ecosystem, String name, String purl) {
    /** No ecosystem name in OSV's list comes near this; bounds index keys and messages. */
    public static final int ECOSYSTEM_CHARS_MAX = 64;
    /** npm allows 214 characters; other ecosystems (Maven group:artifact, Go module paths) need more. */
    public static final int NAME_CHARS_MAX = 512;
    public static final int PURL_CHARS_MAX = 1024;
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    public PackageRef {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        if (ecosystem.isEmpty() || ecosystem.length() > ECOSYSTEM_CHARS_MAX || CONTROL.matcher(ecosystem).find()) {
            throw new IllegalArgumentException("package ecosystem must be 1 to " + ECOSYSTEM_CHARS_MAX + " printable characters");
        }
        if (name.isEmpty() || name.length() > NAME_CHARS_MAX || CONTROL.matcher(name).find()) {
            throw new IllegalArgumentException("package name must be 1 to " + NAME_CHARS_MAX + " printable characters");
        }
        if (purl != null && (purl.length() > PURL_CHARS_MAX || CONTROL.matcher(purl).find())) {
            throw new IllegalArgumentException("package purl must be at most " + PURL_CHARS_MAX + " printable characters");
        }
    }

    public static PackageRef of(String ecosystem, String name) {
        return new PackageRef(ecosystem, name, null);
    }

    /** Whether this names the same package as {@code other} (ecosystem and name; purl ignored). */
    public boolean samePackage(PackageRef other) {
        return ecosystem.equals(other.ecosystem) && name.equals(other.name);
    }
}
