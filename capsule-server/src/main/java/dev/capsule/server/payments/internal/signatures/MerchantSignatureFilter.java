package dev.capsule.server.payments.internal.signatures;

import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import dev.capsule.server.access.CallerRateLimits;
import dev.capsule.server.platform.ProblemException;
import java.util.Optional;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates {@code /merchant/v1/**} requests by their RFC 9421 signature ({@link MerchantSignatureVerifier})
 * and makes the merchant the request's {@link MerchantPrincipal}. A request some other mechanism already
 * authenticated (an operator, an API key) passes untouched, and the authorization rule of
 * {@link MerchantSignatureSecurity} then refuses it: only a merchant may call merchant endpoints.
 *
 * <p>Security guarantees: every refusal is a 403 problem of its own type (so the access module records it as
 * {@code access.deny}); the content is read once, up to {@link #CONTENT_BYTES_MAX}, digested, and handed on
 * unchanged, so the controller reads exactly the bytes whose digest was checked.
 */
final class MerchantSignatureFilter extends OncePerRequestFilter {
    static final String PATH_PREFIX = "/merchant/v1/";
    /** Largest content of a merchant request (a payment intent is a few hundred bytes). */
    static final int CONTENT_BYTES_MAX = 64 * 1024;

    private final MerchantSignatureVerifier verifier;
    private final CallerRateLimits limits;
    private final HandlerExceptionResolver problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    MerchantSignatureFilter(MerchantSignatureVerifier verifier, CallerRateLimits limits, HandlerExceptionResolver problems) {
        this.verifier = verifier;
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !path(request).startsWith(PATH_PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication existing = contexts.getContext().getAuthentication();
        if (existing != null && existing.isAuthenticated() && !(existing instanceof AnonymousAuthenticationToken)) {
            // Another mechanism's caller (refused by the authorization rule): it pays its address, as it would elsewhere.
            if (!rateLimited(limits.takeAddress(request.getRemoteAddr()), request, response)) {
                chain.doFilter(request, response);
            }
            return;
        }
        byte[] content = request.getInputStream().readNBytes(CONTENT_BYTES_MAX + 1);
        if (content.length > CONTENT_BYTES_MAX) {
            refuse(request, response, ProblemType.REQUEST_TOO_LARGE, "a merchant request's content is at most "
                    + CONTENT_BYTES_MAX + " bytes");
            return;
        }
        MerchantPrincipal merchant;
        try {
            merchant = verifier.verify(signedRequest(request), request.getHeader(MessageSignatures.SIGNATURE_INPUT),
                    request.getHeader(MessageSignatures.SIGNATURE), content);
        } catch (SignatureRefusal refusal) {
            refuse(request, response, refusal.type(), refusal.getMessage());
            return;
        } catch (URISyntaxException | IllegalArgumentException e) {
            refuse(request, response, SignatureProblems.MALFORMED, "the request's target URI cannot be signed");
            return;
        }
        if (rateLimited(limits.takeCaller("merchant", merchant.merchant().value()), request, response)) {
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new MerchantAuthentication(merchant));
        contexts.setContext(context);
        chain.doFilter(new CachedBodyRequest(request, content), response);
    }

    /** A request that failed authentication: it pays its address's token (429 when that is empty), then the refusal. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) {
        if (!rateLimited(limits.takeAddress(request.getRemoteAddr()), request, response)) {
            problems.resolveException(request, response, null, new ProblemException(type, detail));
        }
    }

    private boolean rateLimited(Optional<CallerRateLimits.RateLimited> refusal, HttpServletRequest request, HttpServletResponse response) {
        refusal.ifPresent(limited -> limited.answer(request, response, problems));
        return refusal.isPresent();
    }

    /** The request as the merchant addressed it: scheme, host and port as the server received them, the raw path and query. */
    static SignedRequest signedRequest(HttpServletRequest request) throws URISyntaxException {
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        // An IPv6 literal needs its brackets in a URI; the servlet container may or may not have kept them.
        String authority = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + request.getServerPort();
        String query = request.getQueryString();
        URI target = new URI(request.getScheme() + "://" + authority + request.getRequestURI() + (query == null ? "" : "?" + query));
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            fields.put(name, Collections.list(request.getHeaders(name)));
        }
        return new SignedRequest(request.getMethod(), target, fields);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
