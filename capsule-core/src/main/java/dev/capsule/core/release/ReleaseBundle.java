package dev.capsule.core.release;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.log.SignedNote;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the distribution endpoint ({@code GET /api/v1/releases/{appId}/bundle}) returns: the package, its release
 * entry with an inclusion proof, a signed checkpoint, optionally a consistency proof from the size the client saw
 * and the rollback entry that lets a client accept a lower version, and the developer key. Nothing in it is trusted
 * until {@link ReleaseVerifier} says so. JSON form (format {@value #FORMAT}) in docs/releases.md.
 *
 * <p>Security guarantees: {@link #parse} is strict (unknown fields, bad base64, wrong types refused) and bounded:
 * {@link #PACKAGE_BYTES_MAX} for the package, {@link MerkleProofs#PROOF_HASHES_MAX} hashes per proof,
 * {@link ReleaseEntry#ENTRY_BYTES_MAX} per entry, {@link SignedNote#NOTE_BYTES_MAX} for the checkpoint.
 *
 * @param entry the release entry's exact bytes in the log
 * @param checkpoint the signed checkpoint note's text
 * @param consistencyProof from the client's {@code since} size to the checkpoint's (empty when not asked for)
 * @param rollbackEntry present when the served version is a rollback: the rollback entry naming it
 * @param developerKey the key the release entry's {@code developerKeyId} names
 * @param packageBytes the .capsule archive, developer-signed and platform-countersigned
 */
public record ReleaseBundle(String appId, String version, long entryIndex, byte[] entry, List<byte[]> inclusionProof, String checkpoint,
        List<byte[]> consistencyProof, Optional<IncludedEntry> rollbackEntry, VerifyingKey developerKey, byte[] packageBytes) {
    public static final String FORMAT = "capsule-release-bundle/1";
    /** The largest package a bundle carries (as the platform's upload limit). */
    public static final int PACKAGE_BYTES_MAX = 20 << 20;
    /** The package in base64 plus everything else, with room to spare. */
    public static final int JSON_BYTES_MAX = PACKAGE_BYTES_MAX / 3 * 4 + (1 << 20);
    private static final Set<String> FIELDS = Set.of("format", "appId", "version", "entryIndex", "entry", "inclusionProof",
            "checkpoint", "consistencyProof", "rollbackEntry", "developerKey", "package");

    /** An entry of the log with its index and inclusion proof (in the bundle's checkpoint). */
    public record IncludedEntry(long entryIndex, byte[] entry, List<byte[]> inclusionProof) {
        private static final Set<String> FIELDS = Set.of("entryIndex", "entry", "inclusionProof");

        public IncludedEntry {
            if (entryIndex < 0) {
                throw new IllegalArgumentException("entryIndex must be >= 0");
            }
            if (entry == null || entry.length == 0 || entry.length > ReleaseEntry.ENTRY_BYTES_MAX) {
                throw new IllegalArgumentException("an entry has 1.." + ReleaseEntry.ENTRY_BYTES_MAX + " bytes");
            }
            entry = entry.clone();
            inclusionProof = proof(inclusionProof, "inclusionProof");
        }

        @Override
        public byte[] entry() {
            return entry.clone();
        }

        @Override
        public List<byte[]> inclusionProof() {
            return copies(inclusionProof);
        }
    }

    public ReleaseBundle {
        Fields.appId(appId);
        Fields.version(version, "version");
        IncludedEntry checked = new IncludedEntry(entryIndex, entry, inclusionProof);
        entry = checked.entry;
        inclusionProof = checked.inclusionProof;
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (checkpoint.length() > SignedNote.NOTE_BYTES_MAX) {
            throw new IllegalArgumentException("checkpoint larger than " + SignedNote.NOTE_BYTES_MAX + " characters");
        }
        consistencyProof = proof(consistencyProof, "consistencyProof");
        Objects.requireNonNull(rollbackEntry, "rollbackEntry");
        Objects.requireNonNull(developerKey, "developerKey");
        if (packageBytes == null || packageBytes.length > PACKAGE_BYTES_MAX) {
            throw new IllegalArgumentException("package missing or larger than " + PACKAGE_BYTES_MAX + " bytes");
        }
        packageBytes = packageBytes.clone();
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    @Override
    public List<byte[]> inclusionProof() {
        return copies(inclusionProof);
    }

    @Override
    public List<byte[]> consistencyProof() {
        return copies(consistencyProof);
    }

    @Override
    public byte[] packageBytes() {
        return packageBytes.clone();
    }

    /**
     * The package bytes without a copy, for {@link ReleaseVerifier} only (a 20 MiB copy per launch is avoidable):
     * package-private, and the reader never writes to its input.
     */
    byte[] packageBytesView() {
        return packageBytes;
    }

    /** The release entry with its index and proof. */
    public IncludedEntry releaseEntry() {
        return new IncludedEntry(entryIndex, entry, inclusionProof);
    }

    /** The JSON form. */
    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("appId", appId);
        root.put("version", version);
        writeIncluded(root, releaseEntry());
        root.put("checkpoint", checkpoint);
        if (!consistencyProof.isEmpty()) {
            writeProof(root.putArray("consistencyProof"), consistencyProof);
        }
        rollbackEntry.ifPresent(rollback -> writeIncluded(root.putObject("rollbackEntry"), rollback));
        root.put("developerKey", developerKey.toPem());
        root.put("package", Base64.getEncoder().encodeToString(packageBytes));
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /**
     * Parses the JSON form strictly.
     *
     * @throws ReleaseFormatException naming the field and the problem in one line
     */
    public static ReleaseBundle parse(byte[] json) throws ReleaseFormatException {
        try {
            StrictJson.ObjectWithBinary parsed = StrictJson.parseObjectWithBinary(json, "release bundle", JSON_BYTES_MAX, "package",
                    PACKAGE_BYTES_MAX);
            JsonObject root = parsed.object();
            root.rejectUnknownFields(FIELDS);
            String format = root.requireString("format");
            if (!FORMAT.equals(format)) {
                throw root.at("format", "expected '" + FORMAT + "'");
            }
            IncludedEntry release = readIncluded(root);
            JsonObject rollback = root.optionalObject("rollbackEntry");
            VerifyingKey developerKey;
            try {
                developerKey = VerifyingKey.fromPem(root.requireString("developerKey"));
            } catch (KeyFormatException e) {
                throw root.at("developerKey", e.getMessage());
            }
            return new ReleaseBundle(root.requireString("appId"), root.requireString("version"), release.entryIndex(),
                    release.entry(), release.inclusionProof(), root.requireString("checkpoint"),
                    readProof(root, "consistencyProof"), rollback == null ? Optional.empty() : Optional.of(readIncluded(rollback)),
                    developerKey, parsed.binary());
        } catch (JsonFormatException e) {
            throw new ReleaseFormatException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ReleaseFormatException("release bundle: " + e.getMessage());
        }
    }

    private static IncludedEntry readIncluded(JsonObject object) throws JsonFormatException {
        if (!object.path().isEmpty()) {
            object.rejectUnknownFields(IncludedEntry.FIELDS);
        }
        long index = object.requireLong("entryIndex", 0, Long.MAX_VALUE - 1);
        String entryText = object.requireString("entry");
        if (entryText.length() > ReleaseEntry.ENTRY_BYTES_MAX / 3 * 4 + 4) {
            throw object.at(object.child("entry"), "larger than " + ReleaseEntry.ENTRY_BYTES_MAX + " bytes");
        }
        if (!object.has("inclusionProof")) {
            throw object.error("missing required field 'inclusionProof'");
        }
        return new IncludedEntry(index, base64(object, "entry", entryText), readProof(object, "inclusionProof"));
    }

    private static List<byte[]> readProof(JsonObject object, String field) throws JsonFormatException {
        List<String> texts = object.optionalStrings(field, MerkleProofs.PROOF_HASHES_MAX);
        List<byte[]> hashes = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            byte[] hash = base64(object, field + "[" + i + "]", texts.get(i));
            if (!MerkleHash.isHash(hash)) {
                throw object.at(object.child(field) + "[" + i + "]", "a hash has " + MerkleHash.SIZE_BYTES + " bytes");
            }
            hashes.add(hash);
        }
        return hashes;
    }

    private static byte[] base64(JsonObject object, String field, String text) throws JsonFormatException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw object.at(object.child(field), "not valid base64");
        }
    }

    private static void writeIncluded(ObjectNode node, IncludedEntry included) {
        node.put("entryIndex", included.entryIndex());
        node.put("entry", Base64.getEncoder().encodeToString(included.entry));
        writeProof(node.putArray("inclusionProof"), included.inclusionProof);
    }

    private static void writeProof(ArrayNode array, List<byte[]> proof) {
        for (byte[] hash : proof) {
            array.add(Base64.getEncoder().encodeToString(hash));
        }
    }

    private static List<byte[]> proof(List<byte[]> proof, String what) {
        Objects.requireNonNull(proof, what);
        if (proof.size() > MerkleProofs.PROOF_HASHES_MAX) {
            throw new IllegalArgumentException(what + " has more than " + MerkleProofs.PROOF_HASHES_MAX + " hashes");
        }
        return proof.stream().map(hash -> MerkleHash.requireHashCopy(hash, what + " hash")).toList();
    }

    private static List<byte[]> copies(List<byte[]> hashes) {
        return hashes.stream().map(byte[]::clone).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseBundle other && java.util.Arrays.equals(toJson(), other.toJson());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(entry);
    }

    @Override
    public String toString() {
        return "release bundle " + appId + " " + version + " (entry " + entryIndex + ", " + packageBytes.length + " package bytes)";
    }
}
