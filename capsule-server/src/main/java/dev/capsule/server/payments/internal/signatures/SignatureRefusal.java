package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.platform.ProblemType;
import java.util.Objects;

/** A refused signature: the problem type (one per check) and a detail written by Capsule for the merchant. */
final class SignatureRefusal extends Exception {
    private final transient ProblemType type;

    SignatureRefusal(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = Objects.requireNonNull(type, "type");
    }

    ProblemType type() {
        return type;
    }
}
