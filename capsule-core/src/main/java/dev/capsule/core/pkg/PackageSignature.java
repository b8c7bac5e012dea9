package dev.capsule.core.pkg;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.dsse.DsseEnvelope;
import java.util.Objects;

/**
 * A signature as found in a package, already checked for form and for naming this package's digest
 * manifest, id and version — but not yet checked cryptographically: that needs a trusted key
 * ({@link PackageVerifier}).
 *
 * @param path the archive entry, {@code _capsule/signatures/<role>-<keyid>.json}
 * @param envelope the DSSE envelope exactly as stored
 * @param envelopeJson the entry's bytes, kept so re-signing rewrites other signatures byte for byte
 */
public record PackageSignature(String path, KeyId keyId, Role role, DsseEnvelope envelope, byte[] envelopeJson) {
    public static final String DIRECTORY = PackagePaths.METADATA_PREFIX + "signatures/";

    public PackageSignature {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(envelope, "envelope");
        envelopeJson = envelopeJson.clone();
    }

    /** The one entry name a signature by {@code keyId} in {@code role} may have. */
    public static String pathFor(Role role, KeyId keyId) {
        return DIRECTORY + role.id() + "-" + keyId.hex() + ".json";
    }

    @Override
    public byte[] envelopeJson() {
        return envelopeJson.clone();
    }

    /** The signature bytes (the envelope holds exactly one). */
    public byte[] signatureBytes() {
        return envelope.signatures().getFirst().sig();
    }
}
