package dev.capsule.server.privacy;

import java.time.Instant;
import java.util.Objects;

/**
 * The host's assertion that whoever confirms a data-subject request is the person it concerns: they are signed in
 * to the shell as that person. The shell session came from a single-use session grant that the super-app's backend
 * obtained with its API key for exactly this user (so the super-app, which knows its users, vouched for them), or,
 * in development only, from a demo user. The privacy module records which, and when.
 *
 * @param source how the shell session was opened
 * @param at     when the person confirmed
 */
public record IdentityAssertion(Source source, Instant at) {
    public enum Source {
        /** A session grant issued to the super-app's backend ({@code sessions.open}) for this user. */
        SESSION_GRANT,
        /** A demo user (development only: the server refuses demo users anywhere else). */
        DEMO_USER;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public IdentityAssertion {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
    }
}
