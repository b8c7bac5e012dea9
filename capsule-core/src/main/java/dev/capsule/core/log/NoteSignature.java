package dev.capsule.core.log;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One signature line of a signed note: {@code — <key name> <base64(4-byte key hash || signature)>}.
 * Unverified by itself; see {@link SignedNote#verify}.
 */
public record NoteSignature(String name, int keyHash, byte[] signature) {
    public NoteSignature {
        NoteText.requireKeyName(name, "signature key name");
        if (signature == null || signature.length == 0) {
            throw new IllegalArgumentException("a note signature has at least one byte");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The line as it appears in the note, without its newline. */
    public String line() {
        byte[] blob = ByteBuffer.allocate(4 + signature.length).putInt(keyHash).put(signature).array();
        return SignedNote.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature other && name.equals(other.name) && keyHash == other.keyHash
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + keyHash) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "signature by " + name + "+" + HexFormat.of().toHexDigits(keyHash);
    }
}
