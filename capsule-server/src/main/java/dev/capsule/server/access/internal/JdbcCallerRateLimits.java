package dev.capsule.server.access.internal;

import dev.capsule.server.access.CallerRateLimits;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link CallerRateLimits} on the access module's {@link RateLimiter}: the caller's bucket, or the address's. */
@Component
class JdbcCallerRateLimits implements CallerRateLimits {
    /** Longest caller id in a bucket name. */
    static final int ID_CHARS_MAX = 96;

    private final RateLimiter limiter;
    private final RateLimitSettings settings;

    JdbcCallerRateLimits(RateLimiter limiter, RateLimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    @Override
    public Optional<RateLimited> takeCaller(String kind, String id) {
        if (kind == null || !kind.matches("[a-z]{1,16}") || id == null || id.isEmpty() || id.length() > ID_CHARS_MAX
                || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a caller is a lower-case kind and a printable id of at most " + ID_CHARS_MAX + " characters");
        }
        return limiter.take("caller:" + kind + ":" + id, settings.caller(), kind).refusal(kind);
    }

    @Override
    public Optional<RateLimited> takeAddress(String remoteAddress) {
        return limiter.take(ClientAddress.bucket(remoteAddress), settings.address(), "client-address").refusal("client-address");
    }
}
