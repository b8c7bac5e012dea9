package dev.capsule.server.access.internal;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.platform.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The gate every request passes (health excepted): API key authentication and one token from the
 * key's bucket (one database statement, {@link ApiKeyCheck}), or, for any request a valid key does
 * not authenticate, one token from the client address's bucket. An empty bucket answers 429 problem+json {@code rate-limited} with Retry-After.
 *
 * <p>Security guarantees: a request with {@code Authorization: Bearer capk_...} is authenticated as
 * that key's machine only if the key is valid, approved, unexpired and unrevoked; otherwise it goes on
 * anonymous (and gets the same 401 as no credentials at all) after paying the address's token, so
 * guessing keys is rate-limited per address; a wrong secret for an existing key takes nothing from
 * that key's bucket, so knowing a key's id is not enough to exhaust its holder's limit. A valid key pays only its own bucket, so one noisy
 * host behind a shared address cannot starve another's key. Health is not limited: load balancers
 * probe it often, and it costs less than a bucket update would.
 */
final class ApiGateFilter extends OncePerRequestFilter {
    static final String BEARER = "Bearer ";
    static final String HEALTH = "/api/v1/health";

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter limiter;
    private final RateLimitSettings settings;
    private final LastUseTracker lastUse;
    private final HandlerExceptionResolver problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiGateFilter(ApiKeyAuthenticator authenticator, RateLimiter limiter, RateLimitSettings settings, LastUseTracker lastUse,
            HandlerExceptionResolver problems) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.settings = settings;
        this.lastUse = lastUse;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(HEALTH) || path.startsWith(HEALTH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Optional<ApiKeyAuthenticator.Authenticated> key = presentedKey(request)
                .flatMap(token -> authenticator.authenticate(token, address));
        if (key.isPresent()) {
            ApiKeyAuthenticator.Authenticated authenticated = key.get();
            if (limited(authenticated.rateLimit(), "api-key", request, response)) {
                return;
            }
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(new ApiKeyAuthentication(authenticated.machine()));
            contexts.setContext(context);
            lastUse.used(authenticated.machine().keyId());
        } else if (limited(limiter.take(ClientAddress.bucket(address), settings.address(), "client-address"),
                "client-address", request, response)) {
            return;
        }
        chain.doFilter(request, response);
    }

    private static Optional<ApiKeyToken> presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return ApiKeyToken.parse(authorization.substring(BEARER.length()).strip());
    }

    private boolean limited(RateLimiter.Decision decision, String limit, HttpServletRequest request,
            HttpServletResponse response) {
        return switch (decision) {
            case RateLimiter.Decision.Granted granted -> false;
            case RateLimiter.Decision.Refused refused -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
                String detail = limit.equals("api-key")
                        ? "this API key's rate limit is used up; retry after " + refused.retryAfterSeconds() + " s"
                        : "too many requests from this address; retry after " + refused.retryAfterSeconds() + " s";
                problems.resolveException(request, response, null, new ProblemException(AccessProblems.RATE_LIMITED, detail,
                        Map.of("limit", limit, "retryAfterSeconds", refused.retryAfterSeconds())));
                yield true;
            }
        };
    }
}
