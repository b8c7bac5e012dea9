package dev.capsule.server.platform;

import java.util.Map;
import java.util.Objects;

/**
 * Thrown by any module to answer a request with a problem+json of the given type. The detail and the
 * extra properties are sent to the client as they are, so they must say what is wrong with the
 * request in terms the client can act on and never carry secrets or internal state.
 */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final transient Map<String, Object> properties;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, Object> properties) {
        super(Objects.requireNonNull(detail, "detail"));
        this.type = Objects.requireNonNull(type, "type");
        this.properties = Map.copyOf(properties);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
