package dev.capsule.core.release;

/**
 * The policy preset a reviewer picks at approval, recorded in the release entry ({@code preset}); the runtime maps
 * each to its limits and allowed API groups. The codes are part of the release log's format: never rename one.
 */
public enum RiskProfile {
    FINANCIAL("financial"),
    SOCIAL("social"),
    UTILITY("utility"),
    CONTENT("content"),
    INTERNAL("internal");

    private final String code;

    RiskProfile(String code) {
        this.code = code;
    }

    /** The lower-case code written in release entries. */
    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException naming the allowed codes */
    public static RiskProfile fromCode(String code) {
        for (RiskProfile profile : values()) {
            if (profile.code.equals(code)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown risk profile '" + dev.capsule.core.text.SafeText.escape(String.valueOf(code), 40)
                + "' (allowed: financial, social, utility, content, internal)");
    }
}
