package dev.capsule.core.log;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A C2SP tlog-checkpoint: the log's origin, its size and the RFC 9162 root hash at that size. The body is
 * {@code <origin>\n<decimal size>\n<base64 root hash>\n}, optionally followed by exactly one extension line
 * {@code time <decimal unix seconds>\n}, the publication time; it is published as a signed note whose key name is
 * the origin. The audit log's checkpoints have no extension line; the release log's carry the time, so a client
 * can refuse a checkpoint older than its maximum age (a freeze attack). No other extension line is accepted.
 *
 * @param time the publication time (whole seconds, not before 1970), or empty for a checkpoint without it
 */
public record Checkpoint(String origin, long size, byte[] rootHash, Optional<Instant> time) {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
    /** The one extension line's keyword. */
    static final String TIME_PREFIX = "time ";

    public Checkpoint {
        NoteText.requireKeyName(origin, "checkpoint origin");
        if (size < 0) {
            throw new IllegalArgumentException("checkpoint size must be >= 0");
        }
        rootHash = MerkleHash.requireHashCopy(rootHash, "checkpoint root hash");
        Objects.requireNonNull(time, "time");
        if (time.isPresent() && (time.get().getNano() != 0 || time.get().getEpochSecond() < 0)) {
            throw new IllegalArgumentException("checkpoint time must be whole seconds since 1970");
        }
    }

    /** A checkpoint without the time extension line (the audit log's form). */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, Optional.empty());
    }

    /** A checkpoint with the {@code time} extension line (the release log's form); {@code time} is cut to whole seconds. */
    public static Checkpoint timed(String origin, long size, byte[] rootHash, Instant time) {
        return new Checkpoint(origin, size, rootHash, Optional.of(time.truncatedTo(ChronoUnit.SECONDS)));
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The body text, exactly the bytes a signature covers. */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n"
                + time.map(t -> TIME_PREFIX + t.getEpochSecond() + "\n").orElse("");
    }

    /** Parses a checkpoint body (the text of a signed note), strictly. */
    public static Checkpoint parse(String body) throws LogFormatException {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
            throw new LogFormatException("checkpoint: expected origin, size and root hash lines, each ending in a newline");
        }
        Optional<Instant> time = Optional.empty();
        if (lines.length == 5 && lines[3].startsWith(TIME_PREFIX)) {
            String seconds = lines[3].substring(TIME_PREFIX.length());
            if (!DECIMAL.matcher(seconds).matches()) {
                throw new LogFormatException("checkpoint: time must be decimal unix seconds without leading zeros");
            }
            try {
                time = Optional.of(Instant.ofEpochSecond(Long.parseLong(seconds)));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new LogFormatException("checkpoint: time out of range");
            }
        } else if (lines.length > 4) {
            throw new LogFormatException("checkpoint: unexpected extension line (only one 'time <unix seconds>' line is allowed)");
        }
        if (!NoteText.isValidKeyName(lines[0])) {
            throw new LogFormatException("checkpoint: invalid origin line");
        }
        if (!DECIMAL.matcher(lines[1]).matches()) {
            throw new LogFormatException("checkpoint: size must be a decimal number without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new LogFormatException("checkpoint: size too large");
        }
        byte[] root = NoteText.base64(lines[2], "checkpoint root hash");
        if (root.length != MerkleHash.SIZE_BYTES) {
            throw new LogFormatException("checkpoint: root hash must be " + MerkleHash.SIZE_BYTES + " bytes");
        }
        return new Checkpoint(lines[0], size, root, time);
    }

    /** This checkpoint as a signed note by the key named after the origin. */
    public SignedNote sign(VerifyingKey publicKey, Function<byte[], byte[]> signer) {
        return SignedNote.sign(body(), origin, publicKey, signer);
    }

    /** The note verifier key for this log's checkpoints: {@code publicKey} under the origin's name. */
    public NoteKey noteKey(VerifyingKey publicKey) {
        return new NoteKey(origin, publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint other && origin.equals(other.origin) && size == other.size
                && MessageDigest.isEqual(rootHash, other.rootHash) && time.equals(other.time);
    }

    @Override
    public int hashCode() {
        return (31 * origin.hashCode() + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return body().replace('\n', ' ').strip();
    }

    /** Bytes of the body, UTF-8. */
    public byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }
}
