package dev.capsule.core.log;

import dev.capsule.core.crypto.VerifyingKey;
import java.util.Collection;

/**
 * The outcome of checking one signed checkpoint note against trusted Ed25519 keys, each trusted under the name
 * of the checkpoint's origin (C2SP tlog-checkpoint: the key name is the origin).
 */
public sealed interface CheckpointVerification {
    /** The note is well formed, its body is a checkpoint, and a trusted key signed it. */
    record Verified(Checkpoint checkpoint, SignedNote note) implements CheckpointVerification {}

    /** Malformed, or not (validly) signed by a trusted key; {@code reason} is one line for a user. */
    record Rejected(String reason) implements CheckpointVerification {}

    /**
     * Parses {@code note} and verifies it.
     *
     * <p>Security guarantees: the checkpoint is returned only when an Ed25519 signature by one of {@code trusted},
     * named after the checkpoint's own origin, verifies over the exact body bytes; a signature that names a
     * trusted key but fails rejects the note.
     */
    static CheckpointVerification verify(byte[] note, Collection<VerifyingKey> trusted) {
        SignedNote parsed;
        Checkpoint checkpoint;
        try {
            parsed = SignedNote.parse(note);
            checkpoint = Checkpoint.parse(parsed.text());
        } catch (LogFormatException e) {
            return new Rejected(e.getMessage());
        }
        return switch (parsed.verify(trusted.stream().map(checkpoint::noteKey).toList())) {
            case NoteVerification.Verified v -> new Verified(checkpoint, parsed);
            case NoteVerification.NoTrustedSignature n -> new Rejected(n.message());
            case NoteVerification.BadSignature b -> new Rejected(b.message());
        };
    }
}
