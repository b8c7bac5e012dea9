package dev.capsule.server.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

// PLACEHOLDER until audit-core's dev.capsule.core.merkle is merged.
final class MerkleHash {
    static byte[] leafHash(byte[] entry) {
        MessageDigest d = sha();
        d.update((byte) 0);
        return d.digest(entry);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha();
        d.update((byte) 1);
        d.update(left);
        return d.digest(right);
    }

    static List<NodeId> rootNodes(long size) {
        List<NodeId> out = new ArrayList<>();
        long offset = 0;
        for (int level = 62; level >= 0; level--) {
            if (((size >>> level) & 1) == 1) {
                out.add(new NodeId(level, offset >>> level));
                offset += 1L << level;
            }
        }
        return out;
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
