package dev.capsule.server.audit.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.VerifyingKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

// PLACEHOLDER until audit-core's dev.capsule.core.log (Checkpoint, SignedNote) is merged.
final class NoteFormat {
    static String body(String origin, long size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    static byte[] keyHash(String name, VerifyingKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        out.write(0x0A);
        out.write(0x01);
        out.writeBytes(key.raw());
        return Arrays.copyOf(Sha256.newDigest().digest(out.toByteArray()), 4);
    }

    static String note(String body, String name, VerifyingKey key, byte[] signature) {
        byte[] sig = new byte[4 + signature.length];
        System.arraycopy(keyHash(name, key), 0, sig, 0, 4);
        System.arraycopy(signature, 0, sig, 4, signature.length);
        return body + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(sig) + "\n";
    }
}
