package dev.capsule.core.httpsig;

import dev.capsule.core.httpsig.HttpSignatureException.Reason;
import dev.capsule.core.httpsig.StructuredFields.InnerList;
import dev.capsule.core.httpsig.StructuredFields.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The covered components and signature parameters of one RFC 9421 signature (§2.3): the value of
 * {@code @signature-params} and of the signature's Signature-Input member.
 *
 * <p>Components are lower-case names without component parameters ({@code ;sf}, {@code ;key}, {@code ;req}, ...
 * are refused as unsupported); each at most once; {@code @signature-params} never. Serialization keeps the
 * parameters' order, so a parsed Signature-Input re-serializes to the bytes that were signed.
 *
 * @param components the covered components in order (derived ones start with {@code @})
 * @param parameters the signature parameters in order: {@code created}, {@code expires} (Long seconds),
 *                   {@code nonce}, {@code alg}, {@code keyid}, {@code tag} (String), or others as parsed
 */
public record SignatureParameters(List<String> components, Map<String, Object> parameters) {
    /** Most covered components of one signature. */
    public static final int COMPONENTS_MAX = 32;
    /** Derived components of a request this implementation resolves (RFC 9421 §2.2). */
    public static final Set<String> DERIVED = Set.of("@method", "@target-uri", "@authority", "@scheme", "@path", "@query");

    public SignatureParameters {
        components = List.copyOf(components);
        if (components.size() > COMPONENTS_MAX) {
            throw new IllegalArgumentException("at most " + COMPONENTS_MAX + " covered components");
        }
        Set<String> seen = new HashSet<>();
        for (String component : components) {
            if (component.isEmpty() || !component.equals(component.toLowerCase(Locale.ROOT))
                    || !component.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException("a component name is lower-case printable ASCII");
            }
            if (component.equals("@signature-params") || !seen.add(component)) {
                throw new IllegalArgumentException("a component is covered at most once, @signature-params never");
            }
        }
        // Validates every value as an RFC 8941 bare item.
        parameters = new InnerList(List.of(), parameters).parameters();
    }

    /** The parameters a signer sets, in this order: created, expires, nonce, alg (when given), keyid. */
    public static SignatureParameters of(List<String> components, Instant created, Instant expires, String nonce,
            String alg, String keyid) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("created", created.getEpochSecond());
        if (expires != null) {
            parameters.put("expires", expires.getEpochSecond());
        }
        if (nonce != null) {
            parameters.put("nonce", nonce);
        }
        if (alg != null) {
            parameters.put("alg", alg);
        }
        parameters.put("keyid", Objects.requireNonNull(keyid, "keyid"));
        return new SignatureParameters(components, parameters);
    }

    /** From a Signature-Input member. */
    static SignatureParameters from(StructuredFields.Member member) throws HttpSignatureException {
        if (!(member instanceof InnerList list)) {
            throw new HttpSignatureException(Reason.MALFORMED, "a Signature-Input member is an inner list of components");
        }
        List<String> components = new ArrayList<>();
        for (Item item : list.items()) {
            if (!(item.value() instanceof String name)) {
                throw new HttpSignatureException(Reason.MALFORMED, "a covered component is a string");
            }
            if (!item.parameters().isEmpty()) {
                throw new HttpSignatureException(Reason.UNSUPPORTED_COMPONENT, "component parameters are not supported");
            }
            components.add(name);
        }
        for (String key : List.of("created", "expires")) {
            Object value = list.parameters().get(key);
            if (value != null && !(value instanceof Long)) {
                throw new HttpSignatureException(Reason.MALFORMED, "the " + key + " parameter is an integer");
            }
        }
        for (String key : List.of("nonce", "alg", "keyid", "tag")) {
            Object value = list.parameters().get(key);
            if (value != null && !(value instanceof String)) {
                throw new HttpSignatureException(Reason.MALFORMED, "the " + key + " parameter is a string");
            }
        }
        try {
            return new SignatureParameters(components, list.parameters());
        } catch (IllegalArgumentException e) {
            throw new HttpSignatureException(Reason.MALFORMED, e.getMessage());
        }
    }

    public Optional<Instant> created() {
        return seconds("created");
    }

    public Optional<Instant> expires() {
        return seconds("expires");
    }

    public Optional<String> nonce() {
        return text("nonce");
    }

    public Optional<String> alg() {
        return text("alg");
    }

    public Optional<String> keyid() {
        return text("keyid");
    }

    private Optional<Instant> seconds(String key) {
        return parameters.get(key) instanceof Long seconds ? Optional.of(Instant.ofEpochSecond(seconds)) : Optional.empty();
    }

    private Optional<String> text(String key) {
        return parameters.get(key) instanceof String text ? Optional.of(text) : Optional.empty();
    }

    /** As an RFC 8941 inner list. */
    InnerList toInnerList() {
        return new InnerList(components.stream().map(Item::of).toList(), parameters);
    }

    /** The {@code @signature-params} value: the serialized inner list. */
    public String serialize() {
        return StructuredFields.serialize(toInnerList());
    }
}
