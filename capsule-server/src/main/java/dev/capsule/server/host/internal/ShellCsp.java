package dev.capsule.server.host.internal;

/**
 * The Content-Security-Policy of {@code /shell/**} and {@code /dev/**}: only this server's own scripts, styles,
 * images, fonts and connections; no inline script or style at all (nothing Capsule serves there is inline, so no
 * nonce is needed); Trusted Types required with no policy, so no string ever reaches an HTML or script sink; framing
 * only by {@code capsule.host.frame-ancestors} (default {@code 'none'}); violations reported to {@code /csp-reports}.
 */
public final class ShellCsp {
    private ShellCsp() {
    }

    /** The policy with {@code frameAncestors} (a CSP source list validated by {@link HostSettings}). */
    public static String policy(String frameAncestors) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frameAncestors + "; "
                + "require-trusted-types-for 'script'; trusted-types 'none'; report-uri /csp-reports";
    }
}
