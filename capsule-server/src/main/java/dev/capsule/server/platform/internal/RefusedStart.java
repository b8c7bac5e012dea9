package dev.capsule.server.platform.internal;

import java.util.Objects;

/**
 * A start the platform refuses on purpose, with the one line that says why and what to do, and where the docs say more:
 * {@link RefusedStartAnalyzer} keeps it free of a stack trace and {@code capsule serve} prints its message as its one
 * line. Never give it a cause: the line printed is the innermost message.
 */
public class RefusedStart extends IllegalStateException {
    private final String docs;

    RefusedStart(String message, String docs) {
        super(message);
        this.docs = Objects.requireNonNull(docs, "docs");
    }

    /** Where the docs say more ("docs/residency.md"). */
    public String docs() {
        return docs;
    }
}
