package dev.capsule.core.httpsig;

import dev.capsule.core.httpsig.HttpSignatureException.Reason;

/**
 * The RFC 9421 signature base (§2.5) of a request: one line {@code "<component>": <value>} per covered component,
 * then {@code "@signature-params": <serialized parameters>}, lines joined by LF, no trailing LF.
 *
 * <p>Security guarantees: a component value holding a CR or LF is refused (it could forge another line of the
 * base); a covered header field the request lacks is refused, never treated as empty; unsupported components are
 * refused, never skipped.
 */
public final class SignatureBase {
    private SignatureBase() {
    }

    /** The signature base; UTF-8 of it is what is signed. */
    public static String of(SignedRequest request, SignatureParameters parameters) throws HttpSignatureException {
        StringBuilder base = new StringBuilder();
        for (String component : parameters.components()) {
            String value = value(request, component);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new HttpSignatureException(Reason.MALFORMED, "a component value holds a line break");
            }
            base.append('"').append(component).append("\": ").append(value).append('\n');
        }
        return base.append("\"@signature-params\": ").append(parameters.serialize()).toString();
    }

    private static String value(SignedRequest request, String component) throws HttpSignatureException {
        if (component.startsWith("@")) {
            return switch (component) {
                case "@method" -> request.method();
                case "@target-uri" -> request.normalizedTargetUri();
                case "@authority" -> request.authority();
                case "@scheme" -> request.scheme();
                case "@path" -> request.path();
                case "@query" -> request.query();
                default -> throw new HttpSignatureException(Reason.UNSUPPORTED_COMPONENT,
                        "the derived component is not supported (supported: " + String.join(", ",
                                SignatureParameters.DERIVED.stream().sorted().toList()) + ")");
            };
        }
        String value = request.field(component);
        if (value == null) {
            throw new HttpSignatureException(Reason.COMPONENT_ABSENT, "a covered header field is absent from the request");
        }
        return value;
    }
}
