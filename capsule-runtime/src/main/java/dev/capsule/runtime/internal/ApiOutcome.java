package dev.capsule.runtime.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** What a wx API handler decided: a result now, a failure the mini-program sees, or a result later. */
sealed interface ApiOutcome {
    /** Success; {@code value} is the async result's fields (an object) or a sync API's return value. */
    record Ok(JsonNode value) implements ApiOutcome {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Failure with the reason after "api:fail "; {@code denied} marks a policy denial, which is audited. */
    record Fail(String reason, boolean denied) implements ApiOutcome {
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Completes on another thread (network); the session hops back to its loop to deliver it. */
    record Later(CompletableFuture<ApiOutcome> future) implements ApiOutcome {}

    static Fail fail(String reason) {
        return new Fail(reason, false);
    }

    static Fail denied(String reason) {
        return new Fail(reason, true);
    }
}
