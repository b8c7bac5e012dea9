package dev.capsule.core.pkg;

import java.util.Locale;

/** Who signed: the developer who built the package, or the platform that reviewed and released it. */
public enum Role {
    DEVELOPER,
    PLATFORM;

    /** The lower-case name used in signed statements, file names and the CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static Role fromId(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "' (allowed: developer, platform)");
    }
}
