package dev.capsule.core.pkg;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Capsule signature says, as an in-toto Statement v1: its one subject is the digest
 * manifest (name and SHA-256), and its predicate names the signer's role and the package id and
 * version. Because the role is inside the signed statement, a developer signature cannot be
 * relabelled as a platform countersignature.
 */
public record SignatureStatement(Sha256 manifestDigest, Role role, String packageId, String packageVersion) {
    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://capsule.dev/package-signature/v1";

    public SignatureStatement {
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(packageVersion, "packageVersion");
    }

    /** Compact JSON, fields in a fixed order; DSSE signs these exact bytes. */
    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ObjectNode subject = root.putArray("subject").addObject();
        subject.put("name", DigestManifest.PATH);
        subject.putObject("digest").put("sha256", manifestDigest.hex());
        root.put("predicateType", PREDICATE_TYPE);
        root.putObject("predicate")
                .put("role", role.id())
                .put("packageId", packageId)
                .put("packageVersion", packageVersion);
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /** Parses a statement strictly; anything unexpected is a {@link JsonFormatException}. */
    public static SignatureStatement parse(byte[] json, String what) throws JsonFormatException {
        JsonObject root = StrictJson.parseObject(json, what, 16 * 1024);
        root.rejectUnknownFields(Set.of("_type", "subject", "predicateType", "predicate"));
        expect(root, "_type", STATEMENT_TYPE);
        expect(root, "predicateType", PREDICATE_TYPE);
        List<JsonNode> subjects = root.requireArray("subject", 1);
        if (subjects.size() != 1) {
            throw root.at("subject", "must hold exactly one subject, the digest manifest");
        }
        JsonObject subject = JsonObject.element(subjects.getFirst(), root, "subject", 0);
        subject.rejectUnknownFields(Set.of("name", "digest"));
        expect(subject, "name", DigestManifest.PATH);
        JsonObject digest = subject.requireObject("digest");
        digest.rejectUnknownFields(Set.of("sha256"));
        Sha256 manifestDigest;
        try {
            manifestDigest = Sha256.fromHex(digest.requireString("sha256"));
        } catch (IllegalArgumentException e) {
            throw digest.at(digest.child("sha256"), e.getMessage());
        }
        JsonObject predicate = root.requireObject("predicate");
        predicate.rejectUnknownFields(Set.of("role", "packageId", "packageVersion"));
        Role role;
        try {
            role = Role.fromId(predicate.requireString("role"));
        } catch (IllegalArgumentException e) {
            throw predicate.at(predicate.child("role"), e.getMessage());
        }
        return new SignatureStatement(manifestDigest, role, predicate.requireString("packageId"), predicate.requireString("packageVersion"));
    }

    private static void expect(JsonObject object, String field, String expected) throws JsonFormatException {
        String actual = object.requireString(field);
        if (!actual.equals(expected)) {
            throw object.at(object.child(field), "must be '" + expected + "'");
        }
    }
}
