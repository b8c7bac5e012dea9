package dev.capsule.core.pkg;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.dsse.DsseEnvelope;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Adds a signature to a package: a DSSE envelope over an in-toto statement naming the digest
 * manifest, the role and the package id and version. Other signatures are kept byte for byte; a
 * signature by the same key in the same role is replaced.
 *
 * <p>Security guarantees: the package is fully read and checked before signing, so a key never
 * signs an archive that readers would reject. Signing does not vouch for earlier signatures.
 */
public final class PackageSigner {
    private PackageSigner() {}

    public static byte[] sign(byte[] archive, SigningKey key, Role role) throws PackageException {
        return sign(archive, key, role, PackageLimits.DEFAULTS);
    }

    public static byte[] sign(byte[] archive, SigningKey key, Role role, PackageLimits limits) throws PackageException {
        return sign(archive, key.publicKey(), key::sign, role, limits);
    }

    /**
     * Signs with a key held elsewhere (the server's platform keys never leave its keys module): {@code signer}
     * signs the DSSE pre-authentication encoding with the private half of {@code key}. The signature is checked
     * against {@code key} before it is added, so a signer answering with another key's signature is refused.
     */
    public static byte[] sign(byte[] archive, VerifyingKey key, Function<byte[], byte[]> signer, Role role, PackageLimits limits)
            throws PackageException {
        CapsulePackage pkg = PackageReader.read(archive, limits);
        var statement = new SignatureStatement(pkg.digestManifestSha256(), role, pkg.manifest().id(), pkg.manifest().version());
        byte[] payload = statement.toJson();
        byte[] pae = DsseEnvelope.pae(SignatureStatement.PAYLOAD_TYPE, payload);
        byte[] signature = signer.apply(pae);
        if (signature == null || !key.verify(pae, signature)) {
            throw new IllegalStateException("the signer's signature does not verify under key " + key.keyId().hex());
        }
        var envelope = new DsseEnvelope(SignatureStatement.PAYLOAD_TYPE, payload,
                List.of(new DsseEnvelope.Signature(key.keyId().hex(), signature)));

        var entries = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        entries.putAll(pkg.filesView());
        entries.put(DigestManifest.PATH, pkg.digestManifestBytes());
        for (PackageSignature existing : pkg.signatures()) {
            entries.put(existing.path(), existing.envelopeJson());
        }
        entries.put(PackageSignature.pathFor(role, key.keyId()), envelope.toJson());
        if (entries.size() > limits.entriesMax()) {
            throw new PackageException(Reason.TOO_MANY_ENTRIES, "no room for another signature: the package already has "
                    + (entries.size() - 1) + " of " + limits.entriesMax() + " entries");
        }
        if (pkg.signatures().size() >= PackageReader.SIGNATURES_MAX && pkg.signatures().stream().noneMatch(
                s -> s.role() == role && s.keyId().equals(key.keyId()))) {
            throw new PackageException(Reason.MALFORMED_METADATA, "the package already has " + PackageReader.SIGNATURES_MAX + " signatures");
        }
        byte[] signed = DeterministicZipWriter.write(entries, limits.compressionRatioMax());
        if (signed.length > limits.archiveBytesMax()) {
            throw new PackageException(Reason.ARCHIVE_TOO_LARGE,
                    "with the signature the package would be " + signed.length + " bytes; the limit is " + limits.archiveBytesMax());
        }
        // Invariant: whatever sign writes, read accepts. One parse; signing is rare.
        PackageReader.read(signed, limits);
        return signed;
    }
}
