package dev.capsule.core.log;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An Ed25519 note verifier key (C2SP signed-note): a key name bound to a public key. Its text form, the
 * "vkey", is {@code <name>+<8 hex key hash>+<base64(0x01 || 32-byte public key)>}, as Go's
 * golang.org/x/mod/sumdb/note writes it. For audit checkpoints the name is the log's origin.
 *
 * <p>Security guarantees: the key hash ({@link #keyHash}) is the first four bytes of
 * {@code SHA-256(name || 0x0A || 0x01 || public key)}; {@link #parse} rejects a vkey whose hash does not match
 * its name and key, a key type other than Ed25519 (0x01), and non-canonical base64. The key hash only selects a
 * candidate key; a signature is accepted only after Ed25519 verification ({@link VerifyingKey#verify}).
 */
public record NoteKey(String name, VerifyingKey key) {
    /** The signed-note algorithm byte for Ed25519. */
    static final byte ALGORITHM_ED25519 = 0x01;
    private static final Pattern HASH_HEX = Pattern.compile("[0-9a-f]{8}");

    public NoteKey {
        NoteText.requireKeyName(name, "note key name");
        if (key == null) {
            throw new IllegalArgumentException("note key needs a public key");
        }
    }

    /** Whether {@code name} can name a key (and so a checkpoint's origin): C2SP signed-note rules. */
    public static boolean isValidName(String name) {
        return NoteText.isValidKeyName(name);
    }

    /** First four bytes of SHA-256(name || "\n" || 0x01 || public key), big-endian. */
    public int keyHash() {
        byte[] digest = Sha256.of(NoteText.concat(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', ALGORITHM_ED25519},
                key.raw())).bytes();
        return ByteBuffer.wrap(digest, 0, 4).getInt();
    }

    /** The vkey text: {@code name+hash+base64(0x01 || key)}. */
    public String vkey() {
        return name + "+" + HexFormat.of().toHexDigits(keyHash()) + "+"
                + Base64.getEncoder().encodeToString(NoteText.concat(new byte[] {ALGORITHM_ED25519}, key.raw()));
    }

    /** Parses a vkey, checking that its key hash matches its name and key. */
    public static NoteKey parse(String vkey) throws LogFormatException {
        if (vkey == null || vkey.length() > 1024) {
            throw new LogFormatException("note verifier key: missing or too long");
        }
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new LogFormatException("note verifier key: expected NAME+HASH+KEY");
        }
        if (!NoteText.isValidKeyName(parts[0])) {
            throw new LogFormatException("note verifier key: invalid key name");
        }
        if (!HASH_HEX.matcher(parts[1]).matches()) {
            throw new LogFormatException("note verifier key: key hash must be 8 lower-case hex digits");
        }
        byte[] typed = NoteText.base64(parts[2], "note verifier key");
        if (typed.length == 0 || typed[0] != ALGORITHM_ED25519) {
            throw new LogFormatException("note verifier key: not an Ed25519 key (algorithm byte 0x01)");
        }
        VerifyingKey key;
        try {
            key = VerifyingKey.fromRaw(Arrays.copyOfRange(typed, 1, typed.length));
        } catch (KeyFormatException e) {
            throw new LogFormatException("note verifier key: " + e.getMessage());
        }
        NoteKey parsed = new NoteKey(parts[0], key);
        if (parsed.keyHash() != Integer.parseUnsignedInt(parts[1], 16)) {
            throw new LogFormatException("note verifier key: key hash does not match the name and key");
        }
        return parsed;
    }

    @Override
    public String toString() {
        return vkey();
    }
}
