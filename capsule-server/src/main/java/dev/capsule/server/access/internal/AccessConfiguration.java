package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.SelfLimitedPath;
import org.springframework.beans.factory.ObjectProvider;
import dev.capsule.server.platform.SecurityContribution;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.filter.CorsFilter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The access module's part in the security chain and in Spring MVC: the API key and rate-limit gate
 * (early, before any authentication mechanism), the path rules for endpoints that are not controller
 * methods ({@link EndpointRules#PATH_PERMISSIONS}), the permission interceptor for the rest, and the
 * {@link DenialFilter} that has every 403 audited.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    @Bean
    @Order(0)
    SecurityContribution accessSecurity(ApiKeyAuthenticator authenticator, RateLimiter limiter, RateLimitSettings settings,
            LastUseTracker lastUse, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
            ApplicationEventPublisher events, ObjectProvider<SelfLimitedPath> selfLimited,
            ObjectProvider<dev.capsule.server.access.OrganisationDirectory> organisations) {
        return new SecurityContribution() {
            @Override
            public void authorize(
                    AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
                for (Map.Entry<String, Permission> entry : EndpointRules.PATH_PERMISSIONS.entrySet()) {
                    rules.requestMatchers(entry.getKey()).access(holding(entry.getValue()));
                }
            }

            @Override
            public void configure(HttpSecurity http) {
                // After the HTTPS redirect and the body limit (both just after the header writer), before
                // anything that authenticates. CorsFilter's slot is used as a position even though CORS is off.
                http.addFilterBefore(new ApiGateFilter(authenticator, limiter, settings, lastUse, problems,
                        selfLimited.orderedStream().toList(), organisations), CorsFilter.class);
                // Outermost but for the security context: sees every 403 of the chain and of Spring MVC, and the caller.
                http.addFilterBefore(new DenialFilter(events), HeaderWriterFilter.class);
            }
        };
    }

    @Bean
    WebMvcConfigurer permissionEnforcement(EndpointRules rules, dev.capsule.server.access.StepUp stepUp) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new PermissionInterceptor(rules, stepUp));
            }
        };
    }

    /** Grants when the authenticated caller holds {@code permission} (anonymous callers go to the 401 entry point). */
    static AuthorizationManager<RequestAuthorizationContext> holding(Permission permission) {
        return (authentication, context) -> new AuthorizationDecision(
                Caller.of(authentication.get()).map(caller -> caller.holds(permission)).orElse(false));
    }
}
