package dev.capsule.core.release;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.manifest.SemanticVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client remembers between launches, in one JSON file in the runtime's data directory: the latest verified
 * release-log checkpoint (no split view, no log rollback, no older checkpoint), the highest version seen per
 * mini-program (no version rollback) and the highest revocation-list sequence seen (no revocation-list replay).
 * File format ({@value #FORMAT}):
 * <pre>
 * {"format":"capsule-release-client-state/1",
 *  "checkpoint":{"origin":"capsule.local/releases/…","size":12,"root":"&lt;base64&gt;","time":1765057835},   (absent before first use)
 *  "versions":{"com.example.todo":"1.2.0"},
 *  "revocationSequence":7}
 * </pre>
 *
 * <p>Security guarantees: {@link #write} replaces the file atomically (a temporary file in the same directory,
 * forced to disk, then renamed over the old one), so a crash leaves the old state or the new one, never a mix;
 * {@link #read} is strict and bounded, and a missing file is the empty state while an unreadable or malformed one
 * is an error (never silently reset, which would undo rollback protection).
 *
 * @param checkpoint the latest verified checkpoint of the release log (with its time), if any
 * @param versions the highest version verified per app id
 */
public record ReleaseClientState(Optional<Checkpoint> checkpoint, Map<String, SemanticVersion> versions, long revocationSequence) {
    public static final String FORMAT = "capsule-release-client-state/1";
    public static final int APPS_MAX = 10_000;
    public static final int FILE_BYTES_MAX = 2 << 20;
    private static final Set<String> FIELDS = Set.of("format", "checkpoint", "versions", "revocationSequence");
    private static final Set<String> CHECKPOINT_FIELDS = Set.of("origin", "size", "root", "time");

    public ReleaseClientState {
        Objects.requireNonNull(checkpoint, "checkpoint");
        checkpoint.ifPresent(c -> {
            if (c.time().isEmpty()) {
                throw new IllegalArgumentException("a stored release checkpoint has a time");
            }
        });
        versions = Collections.unmodifiableMap(new TreeMap<>(versions));
        if (versions.size() > APPS_MAX) {
            throw new IllegalArgumentException("more than " + APPS_MAX + " mini-programs");
        }
        versions.keySet().forEach(Fields::appId);
        if (revocationSequence < 0) {
            throw new IllegalArgumentException("revocationSequence must be >= 0");
        }
    }

    /** A client that has verified nothing yet. */
    public static ReleaseClientState empty() {
        return new ReleaseClientState(Optional.empty(), Map.of(), 0);
    }

    /** The highest version verified for {@code appId}. */
    public Optional<SemanticVersion> highestVersion(String appId) {
        return Optional.ofNullable(versions.get(appId));
    }

    /** This state after verifying {@code checkpoint} and {@code version} of {@code appId} (kept if lower than the highest). */
    public ReleaseClientState withRelease(Checkpoint newCheckpoint, String appId, SemanticVersion version) {
        Map<String, SemanticVersion> updated = new TreeMap<>(versions);
        updated.merge(Fields.appId(appId), version, (old, now) -> now.compareTo(old) > 0 ? now : old);
        return new ReleaseClientState(Optional.of(newCheckpoint), updated, revocationSequence);
    }

    /** This state after verifying {@code newCheckpoint} alone (a monitor's {@code capsule releases verify --state}). */
    public ReleaseClientState withCheckpoint(Checkpoint newCheckpoint) {
        return new ReleaseClientState(Optional.of(newCheckpoint), versions, revocationSequence);
    }

    /** This state after accepting revocation list {@code sequence} (never lowers it). */
    public ReleaseClientState withRevocationSequence(long sequence) {
        return new ReleaseClientState(checkpoint, versions, Math.max(revocationSequence, sequence));
    }

    /** The file's JSON. */
    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("format", FORMAT);
        checkpoint.ifPresent(c -> root.putObject("checkpoint").put("origin", c.origin()).put("size", c.size())
                .put("root", Base64.getEncoder().encodeToString(c.rootHash())).put("time", c.time().orElseThrow().getEpochSecond()));
        ObjectNode apps = root.putObject("versions");
        versions.forEach((app, version) -> apps.put(app, version.text()));
        root.put("revocationSequence", revocationSequence);
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /** Parses the file's JSON strictly. */
    public static ReleaseClientState parse(byte[] json) throws ReleaseFormatException {
        try {
            JsonObject root = StrictJson.parseObject(json, "release client state", FILE_BYTES_MAX);
            root.rejectUnknownFields(FIELDS);
            if (!FORMAT.equals(root.requireString("format"))) {
                throw root.at("format", "expected '" + FORMAT + "'");
            }
            Optional<Checkpoint> checkpoint = Optional.empty();
            JsonObject stored = root.optionalObject("checkpoint");
            if (stored != null) {
                stored.rejectUnknownFields(CHECKPOINT_FIELDS);
                byte[] rootHash;
                try {
                    rootHash = Base64.getDecoder().decode(stored.requireString("root"));
                } catch (IllegalArgumentException e) {
                    throw stored.at(stored.child("root"), "not valid base64");
                }
                checkpoint = Optional.of(new Checkpoint(stored.requireString("origin"), stored.requireLong("size", 0, Long.MAX_VALUE),
                        rootHash, Optional.of(java.time.Instant.ofEpochSecond(stored.requireLong("time", 0, 253_402_300_799L)))));
            }
            JsonObject apps = root.requireObject("versions");
            Map<String, SemanticVersion> versions = new TreeMap<>();
            for (String app : apps.fieldNames()) {
                if (versions.size() == APPS_MAX) {
                    throw apps.error("more than " + APPS_MAX + " mini-programs");
                }
                versions.put(app, SemanticVersion.parse(apps.requireString(app)));
            }
            return new ReleaseClientState(checkpoint, versions, root.requireLong("revocationSequence", 0, Long.MAX_VALUE));
        } catch (JsonFormatException e) {
            throw new ReleaseFormatException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ReleaseFormatException("release client state: " + e.getMessage());
        }
    }

    /** Reads the state file; a missing file is {@link #empty()}. */
    public static ReleaseClientState read(Path file) throws IOException, ReleaseFormatException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(FILE_BYTES_MAX + 1);
        } catch (NoSuchFileException e) {
            return empty();
        }
        if (bytes.length > FILE_BYTES_MAX) {
            throw new ReleaseFormatException(file + ": larger than " + FILE_BYTES_MAX + " bytes");
        }
        return parse(bytes);
    }

    /** Writes the state file atomically (see the class comment). */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(toJson()));
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system");
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
