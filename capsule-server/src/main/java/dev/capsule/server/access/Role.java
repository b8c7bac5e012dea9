package dev.capsule.server.access;

import java.util.Arrays;
import java.util.Optional;

/**
 * The operator roles of a Capsule platform. What each may do is the permission matrix in
 * docs/rbac.md, enforced by the access module on every endpoint.
 */
public enum Role {
    PLATFORM_ADMIN("platform-admin"),
    SECURITY_OFFICER("security-officer"),
    REVIEWER("reviewer"),
    DEVELOPER("developer"),
    AUDITOR("auditor"),
    SUPPORT("support");

    private final String code;

    Role(String code) {
        this.code = code;
    }

    /** The stable name used in the API, the database and docs ("platform-admin"). */
    public String code() {
        return code;
    }

    /** The Spring Security authority for this role ("ROLE_PLATFORM_ADMIN"). */
    public String authority() {
        return "ROLE_" + name();
    }

    public static Optional<Role> fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
}
