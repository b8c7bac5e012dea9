package dev.capsule.server.incidents.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The incidents module's problem types (docs/incidents.md). */
final class IncidentProblems {
    /** A step the incident's state does not allow: a transition other than open → contained → closed, or acting on a closed incident. */
    static final ProblemType INCIDENT_STATE = new ProblemType("incident-state", HttpStatus.CONFLICT,
            "The incident is not in a state that allows this");
    /** The incident holds as many notes as it may. */
    static final ProblemType INCIDENT_NOTES_FULL = new ProblemType("incident-notes-full", HttpStatus.CONFLICT,
            "The incident has as many notes as it may hold");

    private IncidentProblems() {
    }
}
