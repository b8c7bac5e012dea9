package dev.capsule.core.manifest;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.json.CanonicalJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The version of a mini-program's privacy text: SHA-256 over the canonical JSON (RFC 8785, {@link CanonicalJson}) of
 * every {@link CapsuleManifest.PrivacyDeclaration} of its capsule.json, in order. A consent decision is bound to the
 * digest it was made under, so any change of a declared data category, API or purpose text gives another digest and
 * the user is asked again (docs/privacy.md, "Consent").
 *
 * <p>The digested text is {@code {"declarations":{"0":{"apis":{"0":"wx.getLocation"},"data":"…","purpose":"…"},…},
 * "format":"capsule-privacy/1"}}: the lists are objects keyed by their decimal index, because {@link CanonicalJson}
 * (the one canonical form the project signs and hashes) has no arrays; the keys keep the order, so reordering the
 * declarations or their APIs also gives another digest.
 *
 * <p>Security guarantees: the digest is a function of the declarations' contents and order only (never of how
 * capsule.json was formatted), so two hosts, or a developer's own tool, compute the same value for the same
 * release; {@link #parse} accepts only 64 lower-case hex characters.
 */
public record PrivacyDigest(Sha256 sha256) {
    /** The format tag inside the digested text, changed if the digested form ever changes. */
    public static final String FORMAT = "capsule-privacy/1";

    public PrivacyDigest {
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The digest of {@code declarations} (capsule.json {@code privacy}, in order; empty for a mini-program declaring none). */
    public static PrivacyDigest of(List<CapsuleManifest.PrivacyDeclaration> declarations) {
        return new PrivacyDigest(Sha256.of(CanonicalJson.bytes(canonical(declarations))));
    }

    /** The object whose canonical JSON is digested (see the class comment). */
    static Map<String, Object> canonical(List<CapsuleManifest.PrivacyDeclaration> declarations) {
        Map<String, Object> listed = new TreeMap<>();
        for (int i = 0; i < declarations.size(); i++) {
            CapsuleManifest.PrivacyDeclaration declaration = declarations.get(i);
            Map<String, Object> apis = new TreeMap<>();
            for (int j = 0; j < declaration.apis().size(); j++) {
                apis.put(Integer.toString(j), declaration.apis().get(j));
            }
            listed.put(Integer.toString(i), Map.of("data", declaration.data(), "apis", apis, "purpose", declaration.purpose()));
        }
        return Map.of("format", FORMAT, "declarations", listed);
    }

    /** A digest from its {@link #hex()} form. @throws IllegalArgumentException unless 64 lower-case hex characters */
    public static PrivacyDigest parse(String hex) {
        return new PrivacyDigest(Sha256.fromHex(hex));
    }

    /** 64 lower-case hex characters, the stored form. */
    public String hex() {
        return sha256.hex();
    }

    @Override
    public String toString() {
        return "privacy:" + hex();
    }
}
