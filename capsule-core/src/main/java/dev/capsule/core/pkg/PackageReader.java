package dev.capsule.core.pkg;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.dsse.DsseEnvelope;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.CapsuleManifestParser;
import dev.capsule.core.manifest.ManifestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a .capsule archive into a {@link CapsulePackage}, checking everything that needs no key.
 *
 * <p>Security guarantees: the input is treated as hostile. Any failure is a {@link PackageException}
 * with a specific {@link Reason}; no other exception escapes for any input (a 10,000-mutation test
 * holds it to that). Memory use is bounded by {@link PackageLimits}'s totals; WeChat's per-(sub)package
 * limits are applied once app.json, read from inside the archive, says which file belongs to which
 * package. Authenticity is not checked
 * here: use {@link PackageVerifier}.
 */
public final class PackageReader {
    /** More signatures than this is not a real package. */
    public static final int SIGNATURES_MAX = 16;

    private PackageReader() {}

    public static CapsulePackage read(byte[] archive) throws PackageException {
        return read(archive, PackageLimits.DEFAULTS);
    }

    public static CapsulePackage read(byte[] archive, PackageLimits limits) throws PackageException {
        var files = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        var signatureEntries = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        var compressedSizes = new HashMap<String, Long>();
        byte[] manifestBytes = null;
        for (StrictZipReader.Entry entry : StrictZipReader.read(archive, limits)) {
            String name = entry.name();
            if (name.equals(DigestManifest.PATH)) {
                manifestBytes = entry.data();
            } else if (name.startsWith(PackageSignature.DIRECTORY)) {
                signatureEntries.put(name, entry.data());
            } else if (name.startsWith(PackagePaths.METADATA_PREFIX)) {
                throw new PackageException(Reason.UNCOVERED_FILE, "unexpected metadata entry '" + PackagePaths.printable(name) + "'");
            } else {
                files.put(name, entry.data());
                compressedSizes.put(name, entry.compressedSize());
            }
        }
        if (manifestBytes == null) {
            throw new PackageException(Reason.MALFORMED_METADATA, "not a Capsule package: no " + DigestManifest.PATH);
        }
        DigestManifest digests = DigestManifest.parse(manifestBytes, limits.entriesMax());
        checkCoverage(files, digests);
        CapsuleManifest manifest = manifest(files);
        AppConfig app;
        try {
            app = AppConfig.parse(required(files, AppConfig.FILE_NAME), files::containsKey);
        } catch (ManifestException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
        // WeChat's limits are per (sub)package: which package a file belongs to is known only now, from app.json.
        PackageSizes.of(app, files, compressedSizes::get).check(limits);
        if (signatureEntries.size() > SIGNATURES_MAX) {
            throw new PackageException(Reason.MALFORMED_METADATA, "more than " + SIGNATURES_MAX + " signatures");
        }
        Sha256 manifestDigest = Sha256.of(manifestBytes);
        List<PackageSignature> signatures = new ArrayList<>(signatureEntries.size());
        for (Map.Entry<String, byte[]> entry : signatureEntries.entrySet()) {
            signatures.add(signature(entry.getKey(), entry.getValue(), manifestDigest, manifest));
        }
        return new CapsulePackage(files, manifestBytes, digests, manifest, app, signatures, archive);
    }

    private static void checkCoverage(Map<String, byte[]> files, DigestManifest digests) throws PackageException {
        for (String path : files.keySet()) {
            if (!digests.digests().containsKey(path)) {
                throw new PackageException(Reason.UNCOVERED_FILE, "file '" + PackagePaths.printable(path) + "' is not in the digest manifest");
            }
        }
        for (Map.Entry<String, Sha256> entry : digests.digests().entrySet()) {
            byte[] data = files.get(entry.getKey());
            if (data == null) {
                throw new PackageException(Reason.MISSING_FILE, "file '" + entry.getKey() + "' is in the digest manifest but not in the archive");
            }
            if (!Sha256.of(data).matches(entry.getValue())) {
                throw new PackageException(Reason.DIGEST_MISMATCH, "file '" + entry.getKey() + "' does not match its SHA-256 in the digest manifest");
            }
        }
    }

    private static CapsuleManifest manifest(Map<String, byte[]> files) throws PackageException {
        try {
            return CapsuleManifestParser.parse(required(files, CapsuleManifestParser.FILE_NAME));
        } catch (ManifestException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
    }

    private static byte[] required(Map<String, byte[]> files, String path) throws PackageException {
        byte[] data = files.get(path);
        if (data == null) {
            throw new PackageException(Reason.INVALID_MANIFEST, "the package has no " + path);
        }
        return data;
    }

    private static PackageSignature signature(String path, byte[] json, Sha256 manifestDigest, CapsuleManifest manifest)
            throws PackageException {
        DsseEnvelope envelope;
        SignatureStatement statement;
        KeyId keyId;
        try {
            envelope = DsseEnvelope.parse(json, path);
            if (!envelope.payloadType().equals(SignatureStatement.PAYLOAD_TYPE)) {
                throw new JsonFormatException(path + ": payloadType must be " + SignatureStatement.PAYLOAD_TYPE);
            }
            if (envelope.signatures().size() != 1) {
                throw new JsonFormatException(path + ": must hold exactly one signature");
            }
            statement = SignatureStatement.parse(envelope.payload(), path + " payload");
            keyId = new KeyId(envelope.signatures().getFirst().keyid());
        } catch (JsonFormatException e) {
            throw new PackageException(Reason.MALFORMED_METADATA, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new PackageException(Reason.MALFORMED_METADATA, path + ": " + e.getMessage());
        }
        if (!path.equals(PackageSignature.pathFor(statement.role(), keyId))) {
            throw new PackageException(Reason.MALFORMED_METADATA, path + ": entry name does not match the signature's role and key id");
        }
        if (!statement.manifestDigest().matches(manifestDigest)) {
            throw new PackageException(Reason.SIGNATURE_MISMATCH, path + ": signs different contents than this package's");
        }
        if (!statement.packageId().equals(manifest.id()) || !statement.packageVersion().equals(manifest.version())) {
            throw new PackageException(Reason.SIGNATURE_MISMATCH, path + ": signs " + statement.packageId() + " "
                    + statement.packageVersion() + ", but this package is " + manifest.id() + " " + manifest.version());
        }
        return new PackageSignature(path, keyId, statement.role(), envelope, json);
    }
}
