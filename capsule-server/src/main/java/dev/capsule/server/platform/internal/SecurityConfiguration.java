package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.LargeRequestBody;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The server's one security filter chain; modules extend it through {@link SecurityContribution}
 * beans (the order of the rules is described there).
 *
 * <p>Security guarantees: every response, including errors, redirects and 401/403, carries HSTS, a
 * Content-Security-Policy without inline script and with {@code frame-ancestors 'none'},
 * {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer} and {@code Cache-Control: no-store}; plain HTTP is only ever
 * redirected; request bodies are limited; everything but the public paths needs authentication.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
    /** Paths anyone may call: health (load balancers probe it) and the API description (it holds no data). */
    static final List<String> PUBLIC_PATHS = List.of("/api/v1/health", "/api/v1/health/**", "/api/openapi.json",
            CspReportController.PATH);
    /**
     * The landing page: {@code /} for a request that asks for HTML (a browser); any other request for
     * {@code /} (no Accept, JSON, {@code *}{@code /*}) still needs authentication and gets the 401 problem.
     */
    static final RequestMatcher LANDING_PAGE = landingPage();
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "report-uri " + CspReportController.PATH;
    static final long HSTS_SECONDS = 365L * 24 * 60 * 60;

    @Bean
    SecurityFilterChain capsuleSecurityFilterChain(HttpSecurity http, ObjectProvider<SecurityContribution> contributionBeans,
            Problems problems, ServerPorts ports, ObjectProvider<LargeRequestBody> largeBodies) throws Exception {
        List<SecurityContribution> contributions = contributionBeans.orderedStream().toList();
        http.headers(headers -> headers
                .httpStrictTransportSecurity(hsts -> hsts
                        .maxAgeInSeconds(HSTS_SECONDS)
                        .includeSubDomains(false)
                        // Also on redirects from plain HTTP, where browsers ignore it; harmless and uniform.
                        .requestMatcher(AnyRequestMatcher.INSTANCE))
                .addHeaderWriter(new ContentSecurityPolicyWriter(CONTENT_SECURITY_POLICY, contributions))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)));
        http.addFilterAfter(new HttpsRedirectFilter(ports), HeaderWriterFilter.class);
        http.addFilterAfter(new RequestSizeLimitFilter(problems, largeBodies.orderedStream().toList()), HttpsRedirectFilter.class);

        // No browser session exists yet: no session, no CSRF token, no login pages (see SecurityContribution).
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        http.csrf(csrf -> csrf.disable());
        http.requestCache(cache -> cache.disable());
        http.formLogin(form -> form.disable());
        http.httpBasic(basic -> basic.disable());
        http.logout(logout -> logout.disable());

        http.exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint((request, response, failure) -> problems.write(response,
                        Problems.of(ProblemType.UNAUTHENTICATED, "this request needs an authenticated caller", request)))
                .accessDeniedHandler((request, response, denied) -> problems.write(response,
                        Problems.of(ProblemType.FORBIDDEN, "the caller is not allowed to do this", request))));

        http.authorizeHttpRequests(rules -> {
            rules.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            rules.requestMatchers(PUBLIC_PATHS.toArray(String[]::new)).permitAll();
            rules.requestMatchers(LANDING_PAGE).permitAll();
            for (SecurityContribution contribution : contributions) {
                List<String> paths = contribution.publicPaths();
                if (!paths.isEmpty()) {
                    rules.requestMatchers(paths.toArray(String[]::new)).permitAll();
                }
            }
            contributions.forEach(contribution -> contribution.authorize(rules));
        });
        for (SecurityContribution contribution : contributions) {
            contribution.configure(http);
        }
        if (http.getConfigurer(CsrfConfigurer.class) != null) {
            // Browsers send violation reports with the page's cookies and no token; a report changes nothing.
            http.csrf(csrf -> csrf.ignoringRequestMatchers(request -> CspReportController.PATH.equals(request.getRequestURI())));
        }
        http.authorizeHttpRequests(rules -> rules.anyRequest().authenticated());
        return http.build();
    }

    private static RequestMatcher landingPage() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        // "*/*" alone (curl, most HTTP libraries) is not a request for a page.
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return new AndRequestMatcher(
                request -> "GET".equals(request.getMethod()) && LandingPageController.PATH.equals(request.getRequestURI()),
                html);
    }
}
