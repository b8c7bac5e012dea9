package dev.capsule.server.incidents.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where an incident is: open (being handled), contained (the harm is stopped; clean-up goes on), closed (over; a
 * record). The only steps are open → contained → closed; runbook operations are allowed while open or contained.
 */
enum IncidentState {
    OPEN("open"), CONTAINED("contained"), CLOSED("closed");

    private final String code;

    IncidentState(String code) {
        this.code = code;
    }

    /** The stable name used in the API, the database and pages ("open"); public for the templates. */
    public String code() {
        return code;
    }

    /** The one state this one may move to, if any. */
    Optional<IncidentState> next() {
        return switch (this) {
            case OPEN -> Optional.of(CONTAINED);
            case CONTAINED -> Optional.of(CLOSED);
            case CLOSED -> Optional.empty();
        };
    }

    /** Whether runbook operations may be taken under an incident in this state. */
    boolean acting() {
        return this != CLOSED;
    }

    static Optional<IncidentState> fromCode(String code) {
        return Arrays.stream(values()).filter(state -> state.code.equals(code)).findFirst();
    }
}
