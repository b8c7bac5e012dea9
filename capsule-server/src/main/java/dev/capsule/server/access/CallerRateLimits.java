package dev.capsule.server.access;

import dev.capsule.server.platform.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rate limits for callers another module authenticates (a merchant's signed requests): the same PostgreSQL token
 * buckets as API keys and client addresses (docs/api-keys.md "Rate limits"). The access module's gate does not charge a
 * request under a {@link SelfLimitedPath} to its client address; the module that authenticates it takes one token from
 * the caller's own bucket when authentication succeeds ({@link #takeCaller}) and from the client address's bucket when
 * it fails ({@link #takeAddress}) — the shape API keys have.
 *
 * <p>Security guarantees: a verified caller pays only its own bucket, so a busy merchant behind a shared address starves
 * no one else and is not starved; a request that fails authentication pays its address, so guessing signatures is
 * limited per address exactly as guessing API keys is; buckets are shared by every node (one statement under the
 * bucket's row lock) and a refused request takes nothing.
 */
public interface CallerRateLimits {
    /**
     * Takes one token from an authenticated caller's bucket.
     *
     * @param bucket the caller's bucket name: a kind and an id, {@code merchant:mch_…}
     * @return empty when granted, else the refusal to answer
     */
    Optional<RateLimited> takeCaller(String bucket);

    /** Takes one token from the bucket of the client address {@code remoteAddress}, for a request that failed to authenticate. */
    Optional<RateLimited> takeAddress(String remoteAddress);

    /** A bucket was empty: answer {@link #problem()} (429 {@code rate-limited}) with {@code Retry-After: retryAfterSeconds}. */
    record RateLimited(String limit, long retryAfterSeconds) {
        private static final Pattern LIMIT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

        public RateLimited {
            if (limit == null || !LIMIT.matcher(limit).matches() || retryAfterSeconds < 1) {
                throw new IllegalArgumentException("a refusal names its limit and waits at least a second");
            }
        }

        public ProblemException problem() {
            String who = switch (limit) {
                case "client-address" -> "too many requests from this address";
                case "api-key" -> "this API key's rate limit is used up";
                default -> "this " + limit + "'s rate limit is used up";
            };
            String detail = who + "; retry after " + retryAfterSeconds + " s";
            return new ProblemException(AccessProblems.RATE_LIMITED, detail, Map.of("limit", limit, "retryAfterSeconds", retryAfterSeconds));
        }
    }

    /** The bucket name of a caller: {@code kind:id}, both printable ASCII without spaces or colons in the kind. */
    static String bucket(String kind, String id) {
        if (!kind.matches("[a-z]{1,16}") || id.isEmpty() || id.length() > 96 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a caller bucket is a lower-case kind and a printable id");
        }
        return kind + ":" + id;
    }
}
