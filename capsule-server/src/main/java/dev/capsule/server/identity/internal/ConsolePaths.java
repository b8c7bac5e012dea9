package dev.capsule.server.identity.internal;

import java.util.Set;

/** The operator console's pages (server-rendered, under {@value #PREFIX}). */
final class ConsolePaths {
    static final String PREFIX = "/console";
    static final String HOME = PREFIX + "/";
    static final String SIGN_IN = PREFIX + "/sign-in";
    static final String SECOND_FACTOR = PREFIX + "/second-factor";
    static final String RECOVERY = PREFIX + "/recovery";
    static final String PASSWORD = PREFIX + "/password";
    static final String MFA = PREFIX + "/mfa";
    static final String SIGN_OUT = PREFIX + "/sign-out";
    static final String SIGN_OUT_EVERYWHERE = PREFIX + "/sign-out-everywhere";
    static final String STYLESHEET = PREFIX + "/console.css";
    /** Pages anyone may load (the sign-in steps and the stylesheet). */
    static final Set<String> PUBLIC = Set.of(SIGN_IN, SECOND_FACTOR, RECOVERY, STYLESHEET);

    private ConsolePaths() {
    }

    static boolean isPage(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }
}
