package dev.capsule.server.access.internal;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.CallerRateLimits;
import dev.capsule.server.access.OrganisationDirectory;
import dev.capsule.server.access.SelfLimitedPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import dev.capsule.server.platform.ProblemException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The gate every request passes (health excepted): API key authentication and one token from the
 * key's bucket (one database statement, {@link ApiKeyCheck}), or, for any request a valid key does
 * not authenticate, one token from the client address's bucket — except under a {@link SelfLimitedPath}, whose module
 * authenticates the request and takes the token itself ({@link CallerRateLimits}). An empty bucket answers 429
 * problem+json {@code rate-limited} with Retry-After.
 *
 * <p>Security guarantees: a request with {@code Authorization: Bearer capk_...} is authenticated as
 * that key's machine only if the key is valid, approved, unexpired and unrevoked; otherwise it goes on
 * anonymous (and gets the same 401 as no credentials at all) after paying the address's token, so
 * guessing keys is rate-limited per address; a wrong secret for an existing key takes nothing from
 * that key's bucket, so knowing a key's id is not enough to exhaust its holder's limit. A valid key pays only its own bucket, so one noisy
 * host behind a shared address cannot starve another's key. Health is not limited: load balancers
 * probe it often, and it costs less than a bucket update would. A valid key bound to a developer organisation that
 * is suspended (an incident response, the registry's {@link OrganisationDirectory#isSuspended}, read on every request)
 * is answered 403 {@code organisation-suspended} — with the key as the caller, so the denial is audited with its id —
 * and without a directory such a key is refused the same way (fail closed).
 */
final class ApiGateFilter extends OncePerRequestFilter {
    static final String BEARER = "Bearer ";
    static final String HEALTH = "/api/v1/health";

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter limiter;
    private final RateLimitSettings settings;
    private final LastUseTracker lastUse;
    private final HandlerExceptionResolver problems;
    private final List<String> selfLimited;
    private final ObjectProvider<OrganisationDirectory> organisations;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiGateFilter(ApiKeyAuthenticator authenticator, RateLimiter limiter, RateLimitSettings settings, LastUseTracker lastUse,
            HandlerExceptionResolver problems, List<SelfLimitedPath> selfLimited, ObjectProvider<OrganisationDirectory> organisations) {
        this.organisations = organisations;
        this.selfLimited = selfLimited.stream().map(SelfLimitedPath::prefix).toList();
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
            if (suspended(authenticated)) {
                problems.resolveException(request, response, null, new ProblemException(AccessProblems.ORGANISATION_SUSPENDED,
                        "this API key's developer organisation is suspended; an operator lifts the suspension when the incident is over"));
                return;
            }
        } else if (!selfLimited(request) && limited(limiter.take(ClientAddress.bucket(address), settings.address(), "client-address"),
                "client-address", request, response)) {
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether the key is bound to an organisation that is suspended, or that cannot be checked (no directory). */
    private boolean suspended(ApiKeyAuthenticator.Authenticated authenticated) {
        return authenticated.machine().organisation().map(binding -> {
            OrganisationDirectory directory = organisations.getIfAvailable();
            return directory == null || directory.isSuspended(binding);
        }).orElse(false);
    }

    private static Optional<ApiKeyToken> presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return ApiKeyToken.parse(authorization.substring(BEARER.length()).strip());
    }

    /** Under a {@link SelfLimitedPath}: its module charges the caller's bucket or, failing authentication, the address's. */
    private boolean selfLimited(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : selfLimited) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private boolean limited(RateLimiter.Decision decision, String limit, HttpServletRequest request,
            HttpServletResponse response) {
        Optional<CallerRateLimits.RateLimited> refusal = decision.refusal(limit);
        refusal.ifPresent(limited -> limited.answer(request, response, problems));
        return refusal.isPresent();
    }
}
