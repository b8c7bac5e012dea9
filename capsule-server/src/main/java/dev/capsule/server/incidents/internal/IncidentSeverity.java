package dev.capsule.server.incidents.internal;

import java.util.Arrays;
import java.util.Optional;

/** How bad an incident is, as the operator who opens it judges; it changes nothing the server does. */
enum IncidentSeverity {
    LOW("low"), MEDIUM("medium"), HIGH("high"), CRITICAL("critical");

    private final String code;

    IncidentSeverity(String code) {
        this.code = code;
    }

    /** The stable name used in the API, the database and pages ("open"); public for the templates. */
    public String code() {
        return code;
    }

    static Optional<IncidentSeverity> fromCode(String code) {
        return Arrays.stream(values()).filter(severity -> severity.code.equals(code)).findFirst();
    }
}
