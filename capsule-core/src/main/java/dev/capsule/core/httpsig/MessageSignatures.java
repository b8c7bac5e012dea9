package dev.capsule.core.httpsig;

import dev.capsule.core.httpsig.HttpSignatureException.Reason;
import dev.capsule.core.httpsig.StructuredFields.ByteSequence;
import dev.capsule.core.httpsig.StructuredFields.Item;
import dev.capsule.core.httpsig.StructuredFields.Member;
import dev.capsule.core.httpsig.StructuredFields.StructuredFieldException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Creating (RFC 9421 §3.1) and verifying (§3.2) HTTP message signatures of requests, one signature per message.
 *
 * <p>Security guarantees: the signature base is rebuilt from the parsed Signature-Input (never taken from the
 * message); the algorithm is the verifying key's, so a message cannot choose it (a caller that wants to refuse a
 * mismatching {@code alg} parameter compares {@link Received#parameters()} first); a request with more than one
 * signature, or whose Signature and Signature-Input name different labels, is refused as malformed.
 */
public final class MessageSignatures {
    public static final String SIGNATURE_INPUT = "Signature-Input";
    public static final String SIGNATURE = "Signature";
    /** The label this package signs with. */
    public static final String DEFAULT_LABEL = "sig1";
    private static final Pattern LABEL = Pattern.compile("[a-z*][a-z0-9_.*-]{0,63}");

    private MessageSignatures() {
    }

    /** The two header fields to add to a signed request. */
    public record Headers(String signatureInput, String signature) {
    }

    /** A signature as received: its label, its parameters and its bytes. */
    public record Received(String label, SignatureParameters parameters, byte[] signature) {
        public Received {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(parameters, "parameters");
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** Signs {@code request}: the Signature-Input and Signature field values under {@code label}. */
    public static Headers sign(SignedRequest request, String label, SignatureParameters parameters, HttpSigningKey key)
            throws HttpSignatureException {
        requireLabel(label);
        String base = SignatureBase.of(request, parameters);
        byte[] signature = key.sign(base.getBytes(StandardCharsets.UTF_8));
        String input = StructuredFields.serializeDictionary(Map.of(label, parameters.toInnerList()));
        String value = StructuredFields.serializeDictionary(Map.of(label, Item.of(new ByteSequence(signature))));
        return new Headers(input, value);
    }

    /** The one signature a request carries, parsed from its two header fields. */
    public static Received parse(String signatureInput, String signature) throws HttpSignatureException {
        Map<String, Member> inputs;
        Map<String, Member> signatures;
        try {
            inputs = StructuredFields.parseDictionary(signatureInput);
            signatures = StructuredFields.parseDictionary(signature);
        } catch (StructuredFieldException e) {
            throw new HttpSignatureException(Reason.MALFORMED, e.getMessage());
        }
        if (inputs.size() != 1 || signatures.size() != 1) {
            throw new HttpSignatureException(Reason.MALFORMED, "exactly one signature per request is accepted");
        }
        String label = inputs.keySet().iterator().next();
        Member value = signatures.get(label);
        if (value == null) {
            throw new HttpSignatureException(Reason.MALFORMED, "Signature and Signature-Input name different labels");
        }
        if (!(value instanceof Item item) || !(item.value() instanceof ByteSequence bytes) || !item.parameters().isEmpty()) {
            throw new HttpSignatureException(Reason.MALFORMED, "a Signature member is a byte sequence");
        }
        return new Received(label, SignatureParameters.from(inputs.get(label)), bytes.bytes());
    }

    /** True when {@code received} is a valid signature of {@code request} by {@code key}. */
    public static boolean verify(SignedRequest request, Received received, HttpVerifyingKey key) throws HttpSignatureException {
        String base = SignatureBase.of(request, received.parameters());
        return key.verify(base.getBytes(StandardCharsets.UTF_8), received.signature);
    }

    private static void requireLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("a signature label is an RFC 8941 key of at most 64 characters");
        }
    }
}
