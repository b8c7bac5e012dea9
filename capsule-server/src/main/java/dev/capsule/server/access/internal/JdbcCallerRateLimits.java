package dev.capsule.server.access.internal;

import dev.capsule.server.access.CallerRateLimits;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link CallerRateLimits} on the access module's {@link RateLimiter}: the caller's bucket, or the address's. */
@Component
class JdbcCallerRateLimits implements CallerRateLimits {
    private final RateLimiter limiter;
    private final RateLimitSettings settings;

    JdbcCallerRateLimits(RateLimiter limiter, RateLimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    @Override
    public Optional<RateLimited> takeCaller(String bucket) {
        String kind = bucket.substring(0, Math.max(0, bucket.indexOf(':')));
        if (kind.isEmpty() || !CallerRateLimits.bucket(kind, bucket.substring(kind.length() + 1)).equals(bucket)) {
            throw new IllegalArgumentException("a caller bucket is kind:id");
        }
        return refusal(limiter.take("caller:" + bucket, settings.caller(), kind), kind);
    }

    @Override
    public Optional<RateLimited> takeAddress(String remoteAddress) {
        return refusal(limiter.take(ClientAddress.bucket(remoteAddress), settings.address(), "client-address"), "client-address");
    }

    private static Optional<RateLimited> refusal(RateLimiter.Decision decision, String limit) {
        return switch (decision) {
            case RateLimiter.Decision.Granted granted -> Optional.empty();
            case RateLimiter.Decision.Refused refused -> Optional.of(new RateLimited(limit, refused.retryAfterSeconds()));
        };
    }
}
