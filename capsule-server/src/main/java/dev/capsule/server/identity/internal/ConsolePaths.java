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
    /** Step-up in the console: a fresh authenticator code, then back to the console page that needs it. */
    static final String STEP_UP = PREFIX + "/step-up";
    static final String SIGN_OUT_EVERYWHERE = PREFIX + "/sign-out-everywhere";
    static final String STYLESHEET = PREFIX + "/console.css";
    /** Pages anyone may load (the sign-in steps and the stylesheet). */
    static final Set<String> PUBLIC = Set.of(SIGN_IN, SECOND_FACTOR, RECOVERY, STYLESHEET);

    private ConsolePaths() {
    }

    /**
     * A console page to return to after step-up: a plain console path (segments of lower-case letters, digits,
     * '.', '_' and '-', each starting with a letter or digit, so never "." or ".."), else the console home (no open redirect).
     */
    static String returnTo(String next) {
        return next != null && next.length() <= 200 && next.matches("/console(/[a-z0-9][a-z0-9._-]*)*/?") ? next : HOME;
    }

    static boolean isPage(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }
}
