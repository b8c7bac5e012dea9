package dev.capsule.server.access;

import dev.capsule.server.platform.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerExceptionResolver;

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
     * @param kind the kind of caller, lower-case letters: {@code merchant} (also the refusal's {@code limit})
     * @param id   the caller's id, printable ASCII: {@code mch_…}
     * @return empty when granted, else the refusal to answer
     */
    Optional<RateLimited> takeCaller(String kind, String id);

    /** Takes one token from the bucket of the client address {@code remoteAddress}, for a request that failed to authenticate. */
    Optional<RateLimited> takeAddress(String remoteAddress);

    /** A bucket was empty: {@link #answer} writes the 429 {@code rate-limited} problem with {@code Retry-After}. */
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

        /** The one way a 429 is written: {@code Retry-After}, then {@link #problem()} through the server's problem resolver. */
        public void answer(HttpServletRequest request, HttpServletResponse response, HandlerExceptionResolver problems) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            problems.resolveException(request, response, null, problem());
        }
    }
}
