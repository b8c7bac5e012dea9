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

    String code() {
        return code;
    }

    static Optional<IncidentSeverity> fromCode(String code) {
        return Arrays.stream(values()).filter(severity -> severity.code.equals(code)).findFirst();
    }
}
