package dev.capsule.server.registry.internal;

import java.util.Optional;

/** Where an uploaded version is: in review until a reviewer approves or rejects it; a decision is final. */
enum VersionState {
    IN_REVIEW("in-review"), APPROVED("approved"), REJECTED("rejected");

    private final String code;

    VersionState(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    static Optional<VersionState> fromCode(String code) {
        for (VersionState state : values()) {
            if (state.code.equals(code)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
