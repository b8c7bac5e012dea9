package dev.capsule.server.host;

import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host module publishes for the audit log (the audit module turns each into one entry; the user is stored
 * only as a pseudonym there).
 *
 * @param kind    what happened
 * @param outcome {@code success}, {@code failure} or {@code denied}
 * @param app     the mini-program, when there is one
 * @param user    the end user, when known
 * @param detail  a short fixed-vocabulary reason or detail (never guest text), or empty
 * @param actor   who acted when it is not the user: the access module's actor id ({@code apikey:<id>} for the
 *                super-app's API key that issued a grant, {@code operator:<uuid>}), or empty
 */
public record HostEvent(What kind, String outcome, Optional<MiniProgramId> app, Optional<ShellUserId> user, Optional<String> detail,
        Optional<String> actor) {
    public enum What {
        /** A super-app's backend obtained a session grant (API key, user, optional mini-program). */
        GRANT_ISSUE,
        /** A browser exchanged a grant (or, with demo users, a demo user) for a shell session. */
        SHELL_ENTER,
        /** The user answered a consent sheet. */
        CONSENT_DECIDE,
        /** The user withdrew a scope in the shell's settings (detail: the scope). */
        CONSENT_WITHDRAW,
        /** The user allowed a scope again in the shell's settings (detail: the scope). */
        CONSENT_ALLOW,
        /** A hosted session started. */
        SESSION_OPEN,
        /** A hosted session ended (detail: why). */
        SESSION_END,
        /** A session was refused before it started (detail: the limit or reason). */
        SESSION_REFUSE,
        /**
         * Something was refused to the user because it would store their data outside their region (detail: what, e.g.
         * {@code payments}; docs/residency.md).
         */
        RESIDENCY_REFUSE
    }

    public HostEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(actor, "actor");
    }

    /** An event the user (or the host itself) caused. */
    public HostEvent(What kind, String outcome, Optional<MiniProgramId> app, Optional<ShellUserId> user, Optional<String> detail) {
        this(kind, outcome, app, user, detail, Optional.empty());
    }
}
