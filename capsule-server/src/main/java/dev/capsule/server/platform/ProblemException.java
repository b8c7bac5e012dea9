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

    /**
     * The problem as one sentence for a server-rendered page (the console shows a refused form this way):
     * the detail, then each field error of a validation problem ({@code "errors"}: field and message),
     * capitalised and ending with a full stop. Pages print it escaped, like any text.
     */
    public String sentence() {
        StringBuilder text = new StringBuilder(getMessage());
        if (properties.get("errors") instanceof java.util.List<?> errors) {
            String separator = ": ";
            for (Object error : errors) {
                if (error instanceof Map<?, ?> field) {
                    Object name = field.get("field");
                    text.append(separator).append(name == null || name.toString().isEmpty() ? "" : name + " ")
                            .append(field.get("message"));
                    separator = "; ";
                }
            }
        }
        if (text.isEmpty()) {
            return text.toString();
        }
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        return text.charAt(text.length() - 1) == '.' ? text.toString() : text.append('.').toString();
    }
}
