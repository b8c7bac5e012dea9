package dev.capsule.server.host.internal;

import java.util.List;
import java.util.Set;

/** The shell's paths, in one place (security rules, the filter, controllers and templates use these). */
public final class ShellPaths {
    public static final String LIST = "/shell";
    public static final String SETTINGS = "/shell/settings";
    public static final String WITHDRAW = "/shell/settings/withdraw";
    public static final String ALLOW = "/shell/settings/allow";
    public static final String ENTER = "/shell/enter";
    public static final String DEMO = "/shell/demo";
    public static final String SIGN_OUT = "/shell/sign-out";
    public static final String SIGNED_OUT = "/shell/signed-out";
    public static final String WALLET = "/shell/wallet";
    public static final String REMOVE_CARD = "/shell/wallet/remove-card";
    public static final String CARDS = "/shell/cards";
    public static final String PASSKEYS = "/shell/passkeys";
    public static final String PASSKEY_OPTIONS = "/shell/passkeys/options";
    public static final String PASSKEY_REMOVE = "/shell/passkeys/remove";
    /** The user's data-subject requests: file (POST), and below it one request's confirm, export page and JSON. */
    public static final String PRIVACY_REQUESTS = "/shell/privacy/requests";
    public static final String STYLESHEET = "/shell/pages.css";

    /** Reachable without a shell session: signing in, the signed-out page, the shell's static files. */
    public static final List<String> PUBLIC = List.of(ENTER, DEMO, SIGNED_OUT, "/shell/*.css", "/shell/*.js");

    private static final Set<String> PUBLIC_PAGES = Set.of(ENTER, DEMO, SIGNED_OUT);

    private ShellPaths() {
    }

    /** Whether the shell session filter authenticates this path: everything under /shell and /dev. */
    static boolean authenticated(String path) {
        return path.equals(LIST) || path.startsWith(LIST + "/") || path.equals("/dev") || path.startsWith("/dev/");
    }

    /**
     * Whether a browser asking for this path without a session is sent to sign in: the shell's pages (not its
     * static files, the WebSocket, assets, nor the public pages).
     */
    static boolean isPage(String path) {
        if (PUBLIC_PAGES.contains(path) || path.startsWith("/shell/ws/") || path.startsWith("/shell/s/")) {
            return false;
        }
        boolean staticFile = path.startsWith("/shell/") && path.indexOf('/', "/shell/".length()) < 0
                && (path.endsWith(".css") || path.endsWith(".js"));
        // The development preview's /dev signs its demo user in itself, so it is never redirected here.
        return !staticFile && (path.equals(LIST) || path.equals(SETTINGS) || path.equals(WALLET) || path.startsWith("/shell/apps/"));
    }
}
