package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.access.CallerRateLimits;
import dev.capsule.server.access.SelfLimitedPath;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import org.springframework.context.annotation.Bean;
import dev.capsule.server.platform.SecurityContribution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The payments module's part in the security chain: RFC 9421 signature authentication for {@code /merchant/v1/**}
 * and the rule that only a {@link MerchantPrincipal} may call those paths.
 *
 * <p>Security guarantees: an operator session, an API key or any other caller that is not a verified merchant gets
 * 403 on {@code /merchant/v1/**} (recorded by the access module as {@code access.deny}); the filter runs after
 * every other authentication mechanism, so it never replaces their decision, only adds the merchant's. A verified
 * merchant's request takes a token from that merchant's bucket; any other request to these paths from its client
 * address ({@link CallerRateLimits}).
 */
@Component
class MerchantSignatureSecurity implements SecurityContribution {
    static final String MERCHANT_PATHS = "/merchant/v1/**";

    private final MerchantSignatureVerifier verifier;
    private final CallerRateLimits limits;
    private final HandlerExceptionResolver problems;

    MerchantSignatureSecurity(MerchantSignatureVerifier verifier, CallerRateLimits limits,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        this.verifier = verifier;
        this.limits = limits;
        this.problems = problems;
    }

    /** Merchant requests are rate-limited here, per merchant, not per address by the access module's gate. */
    @Bean
    static SelfLimitedPath merchantPaths() {
        return new SelfLimitedPath("/merchant/v1/");
    }

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers(MERCHANT_PATHS).access((authentication, context) -> new AuthorizationDecision(isMerchant(authentication.get())));
    }

    @Override
    public void configure(HttpSecurity http) {
        http.addFilterAfter(new MerchantSignatureFilter(verifier, limits, problems), AnonymousAuthenticationFilter.class);
    }

    static boolean isMerchant(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated() && authentication.getPrincipal() instanceof MerchantPrincipal;
    }
}
