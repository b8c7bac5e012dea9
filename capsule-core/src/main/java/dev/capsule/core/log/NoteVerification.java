package dev.capsule.core.log;

import java.util.List;

/** The outcome of {@link SignedNote#verify}. Only {@link Verified} lets a caller trust the note's text. */
public sealed interface NoteVerification {
    /** One line for a user. */
    String message();

    /** At least one trusted key signed the note, and every signature by a trusted key verified. */
    record Verified(SignedNote note, List<NoteKey> signers) implements NoteVerification {
        public Verified {
            signers = List.copyOf(signers);
        }

        @Override
        public String message() {
            return "signed by " + String.join(", ", signers.stream().map(k -> k.name() + "+" + hex(k.keyHash())).toList());
        }
    }

    /** No signature is by a trusted key (name and key hash). */
    record NoTrustedSignature(List<NoteSignature> found) implements NoteVerification {
        public NoTrustedSignature {
            found = List.copyOf(found);
        }

        @Override
        public String message() {
            return "no signature by a trusted key (signed by " + String.join(", ", found.stream()
                    .map(s -> s.name() + "+" + hex(s.keyHash())).toList()) + ")";
        }
    }

    /** A signature names a trusted key but does not verify: forged or corrupted. */
    record BadSignature(NoteKey key) implements NoteVerification {
        @Override
        public String message() {
            return "invalid signature for trusted key " + key.name() + "+" + hex(key.keyHash());
        }
    }

    private static String hex(int keyHash) {
        return java.util.HexFormat.of().toHexDigits(keyHash);
    }
}
