package dev.capsule.server.releases.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.Map;

/** A release action refused by a rule: the problem for the caller, and the code its audit entry carries. */
final class RefusedChange extends ProblemException {
    private final String code;

    RefusedChange(ProblemType type, String code, String detail) {
        super(type, detail, Map.of("reason", code));
        this.code = code;
    }

    /** The lower-case code the audit entry's reason holds. */
    String code() {
        return code;
    }
}
