package dev.capsule.core.log;

import dev.capsule.core.crypto.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * A C2SP signed note: text (ending in a newline), a blank line, then one or more signature lines
 * {@code — <key name> <base64(key hash || signature)>}. The signature covers the text bytes exactly,
 * final newline included. Compatible with Go's golang.org/x/mod/sumdb/note.
 *
 * <p>Security guarantees: {@link #parse} accepts only strict UTF-8 without control characters other than
 * newline, at most {@link #NOTE_BYTES_MAX} bytes and {@link #SIGNATURES_MAX} signatures, canonical base64;
 * the text is never to be trusted before {@link #verify} returns {@link NoteVerification.Verified}. A signature
 * whose key name and hash match a trusted key but does not verify rejects the whole note (it is a forgery or
 * corruption, not a foreign key).
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
    /** A checkpoint note is a few hundred bytes; the limit leaves room for many co-signatures. */
    public static final int NOTE_BYTES_MAX = 64 * 1024;
    public static final int SIGNATURES_MAX = 16;
    /** U+2014 EM DASH and a space start every signature line. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    public SignedNote {
        requireValidText(text);
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > SIGNATURES_MAX) {
            throw new IllegalArgumentException("a signed note has 1.." + SIGNATURES_MAX + " signatures");
        }
    }

    /** Signs {@code text} as key {@code name}: {@code signer} must produce Ed25519 signatures by {@code publicKey}. */
    public static SignedNote sign(String text, String name, VerifyingKey publicKey, Function<byte[], byte[]> signer) {
        requireValidText(text);
        NoteKey key = new NoteKey(name, publicKey);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.apply(message);
        if (!publicKey.verify(message, signature)) {
            // A signer wired to the wrong key would publish notes nobody can verify: refuse at once.
            throw new IllegalStateException("the signer's signature does not verify with " + publicKey);
        }
        return new SignedNote(text, List.of(new NoteSignature(name, key.keyHash(), signature)));
    }

    /** Parses a signed note; nothing about it is verified yet. */
    public static SignedNote parse(byte[] note) throws LogFormatException {
        if (note.length > NOTE_BYTES_MAX) {
            throw new LogFormatException("signed note: larger than " + NOTE_BYTES_MAX + " bytes");
        }
        String all = NoteText.utf8(note, "signed note");
        if (all.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
            throw new LogFormatException("signed note: contains a control character");
        }
        int split = all.lastIndexOf("\n\n");
        if (split < 0) {
            throw new LogFormatException("signed note: no blank line before the signatures");
        }
        String text = all.substring(0, split + 1);
        String block = all.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new LogFormatException("signed note: signature lines must end with a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (signatures.size() == SIGNATURES_MAX) {
                throw new LogFormatException("signed note: more than " + SIGNATURES_MAX + " signatures");
            }
            signatures.add(parseSignature(line));
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature parseSignature(String line) throws LogFormatException {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new LogFormatException("signed note: a signature line must start with '\u2014 '");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new LogFormatException("signed note: signature line needs a key name and a signature");
        }
        String name = rest.substring(0, space);
        if (!NoteText.isValidKeyName(name)) {
            throw new LogFormatException("signed note: invalid key name in a signature line");
        }
        byte[] blob = NoteText.base64(rest.substring(space + 1), "signed note signature");
        if (blob.length < 5) {
            throw new LogFormatException("signed note: signature too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        int keyHash = buffer.getInt();
        byte[] signature = new byte[buffer.remaining()];
        buffer.get(signature);
        return new NoteSignature(name, keyHash, signature);
    }

    /** The note as published: text, blank line, signature lines. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(text).append('\n');
        for (NoteSignature signature : signatures) {
            out.append(signature.line()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The note as text (UTF-8 of {@link #encode()}). */
    public String encodedText() {
        return new String(encode(), StandardCharsets.UTF_8);
    }

    /**
     * Verifies the signatures against {@code trusted}: signatures by other keys are ignored; a signature whose
     * name and key hash match a trusted key must verify, or the note is rejected.
     */
    public NoteVerification verify(Collection<NoteKey> trusted) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<NoteKey> signers = new ArrayList<>();
        for (NoteSignature signature : signatures) {
            List<NoteKey> candidates = trusted.stream()
                    .filter(k -> k.name().equals(signature.name()) && k.keyHash() == signature.keyHash())
                    .toList();
            if (candidates.isEmpty()) {
                continue;
            }
            NoteKey signer = candidates.stream().filter(k -> k.key().verify(message, signature.signature())).findFirst().orElse(null);
            if (signer == null) {
                return new NoteVerification.BadSignature(candidates.getFirst());
            }
            if (!signers.contains(signer)) {
                signers.add(signer);
            }
        }
        if (signers.isEmpty()) {
            return new NoteVerification.NoTrustedSignature(signatures);
        }
        return new NoteVerification.Verified(this, signers);
    }

    private static void requireValidText(String text) {
        if (text == null || text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must be non-empty and end with a newline");
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
            throw new IllegalArgumentException("note text must not contain control characters other than newline");
        }
    }
}
