package dev.capsule.core.dsse;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A DSSE envelope (secure-systems-lab/dsse, protocol v1.0.2): a payload, its type, and signatures
 * over {@link #pae} of the two. The JSON form is {@code {"payload","payloadType","signatures":[{"keyid","sig"}]}}
 * with standard base64.
 *
 * <p>Security guarantees: signatures cover the payload type and payload bytes exactly as carried
 * (no re-serialisation before verification), so what was signed is what gets parsed.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
    /** Envelopes in a package are small; this caps what a hostile one can make us parse. */
    public static final int JSON_BYTES_MAX = 64 * 1024;
    public static final int SIGNATURES_MAX = 8;

    public DsseEnvelope {
        Objects.requireNonNull(payloadType, "payloadType");
        payload = payload.clone();
        signatures = List.copyOf(signatures);
    }

    /** One signature: the signer's key id (a hint for key lookup, not trusted) and the signature bytes. */
    public record Signature(String keyid, byte[] sig) {
        public Signature {
            Objects.requireNonNull(keyid, "keyid");
            sig = sig.clone();
        }

        @Override
        public byte[] sig() {
            return sig.clone();
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * Pre-Authentication Encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths
     * in ASCII decimal. This is the exact byte string every signature signs.
     */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(32 + type.length + payload.length);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** The bytes the signatures of this envelope sign. */
    public byte[] pae() {
        return pae(payloadType, payload);
    }

    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("payload", Base64.getEncoder().encodeToString(payload));
        root.put("payloadType", payloadType);
        ArrayNode sigs = root.putArray("signatures");
        for (Signature s : signatures) {
            sigs.addObject().put("keyid", s.keyid()).put("sig", Base64.getEncoder().encodeToString(s.sig));
        }
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /** Parses the JSON form strictly: unknown fields, bad base64 and missing fields are errors. */
    public static DsseEnvelope parse(byte[] json, String what) throws JsonFormatException {
        return parse(json, what, JSON_BYTES_MAX);
    }

    /** As {@link #parse(byte[], String)} for a document type with its own size limit (a revocation list). */
    public static DsseEnvelope parse(byte[] json, String what, int bytesMax) throws JsonFormatException {
        JsonObject root = StrictJson.parseObject(json, what, bytesMax);
        root.rejectUnknownFields(Set.of("payload", "payloadType", "signatures"));
        byte[] payload = base64(root, "payload", root.requireString("payload"));
        String payloadType = root.requireString("payloadType");
        List<JsonNode> items = root.requireArray("signatures", SIGNATURES_MAX);
        List<Signature> signatures = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), root, "signatures", i);
            item.rejectUnknownFields(Set.of("keyid", "sig"));
            signatures.add(new Signature(item.requireString("keyid"), base64(item, item.child("sig"), item.requireString("sig"))));
        }
        return new DsseEnvelope(payloadType, payload, signatures);
    }

    private static byte[] base64(JsonObject where, String field, String text) throws JsonFormatException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw where.at(field, "not valid base64");
        }
    }
}
