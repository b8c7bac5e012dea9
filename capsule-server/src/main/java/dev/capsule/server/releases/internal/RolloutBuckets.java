package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Which rollout bucket (0..99) a user is in for a mini-program: the first 8 bytes of
 * SHA-256({@code "capsule-rollout/1\n" + appId + "\n" + pairwise user id}) as an unsigned number, modulo 100. Stable
 * (the same user is in the same bucket on every node and every day, so a percent that only grows never takes a
 * version away from anyone), independent between apps (the app id is hashed in), and computable by anyone who
 * wants to check which version a user was served. A user is served the rolled-out version when its bucket is
 * below the percent.
 */
final class RolloutBuckets {
    static final String DOMAIN = "capsule-rollout/1";
    static final int BUCKETS = 100;

    private RolloutBuckets() {
    }

    static int bucket(String appId, String pairwiseUserId) {
        byte[] digest = Sha256.of((DOMAIN + "\n" + appId + "\n" + pairwiseUserId).getBytes(StandardCharsets.UTF_8)).bytes();
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), BUCKETS);
    }
}
