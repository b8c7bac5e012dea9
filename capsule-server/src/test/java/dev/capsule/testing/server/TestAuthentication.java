package dev.capsule.testing.server;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Test-only: an authentication mechanism (header {@value #USER_HEADER}, roles in
 * {@value #ROLES_HEADER}) plugged in through {@link SecurityContribution}, and fixture endpoints
 * under {@code /api/v1/test/} that produce each kind of error. Never part of the server itself.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestAuthentication {
    public static final String USER_HEADER = "X-Test-User";
    public static final String ROLES_HEADER = "X-Test-Roles";
    /**
     * {@code mch_…:mk_…}: the request is from this merchant, as if its RFC 9421 signature had verified (for testing
     * merchant endpoints apart from the signature filter; the signature tests never send it).
     */
    public static final String MERCHANT_HEADER = "X-Test-Merchant";

    @Bean
    SecurityContribution testAuthentication() {
        return new SecurityContribution() {
            @Override
            public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
                rules.requestMatchers("/api/v1/test/admin-only").hasRole("ADMIN");
            }

            @Override
            public void configure(HttpSecurity http) {
                http.addFilterBefore(new HeaderAuthenticationFilter(), AnonymousAuthenticationFilter.class);
            }
        };
    }

    static final class HeaderAuthenticationFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String user = request.getHeader(USER_HEADER);
            String merchant = request.getHeader(MERCHANT_HEADER);
            if (merchant != null) {
                String[] ids = merchant.split(":", 2);
                var principal = new dev.capsule.server.payments.internal.MerchantPrincipal(
                        new dev.capsule.server.payments.MerchantId(ids[0]), new dev.capsule.server.payments.MerchantKeyId(ids[1]));
                SecurityContextHolder.getContext().setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of()));
            } else if (user != null) {
                String roles = request.getHeader(ROLES_HEADER);
                List<SimpleGrantedAuthority> authorities = roles == null ? List.of()
                        : Arrays.stream(roles.split(",")).map(role -> new SimpleGrantedAuthority("ROLE_" + role.strip())).toList();
                SecurityContextHolder.getContext().setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(user, null, authorities));
            }
            chain.doFilter(request, response);
        }
    }

    /** A request body with validated fields. */
    public record Echo(@NotBlank @Size(max = 20) String name, @Min(1) @Max(10) int count) {
    }

    /** Registered as a member class of this configuration. */
    @RestController
    static class Fixtures {
        @PostMapping(path = "/api/v1/test/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
        Echo echo(@Valid @RequestBody Echo echo) {
            return echo;
        }

        @GetMapping("/api/v1/test/admin-only")
        String adminOnly() {
            return "secret";
        }

        /**
         * A merchant endpoint for the signature tests (no real one exists in every branch): echoes the verified merchant
         * and the content it received.
         */
        @org.springframework.web.bind.annotation.RequestMapping(path = "/merchant/v1/test/echo",
                method = {org.springframework.web.bind.annotation.RequestMethod.GET, org.springframework.web.bind.annotation.RequestMethod.POST})
        java.util.Map<String, String> merchantEcho(@RequestBody(required = false) String content) {
            var merchant = dev.capsule.server.payments.internal.MerchantPrincipal.current();
            return java.util.Map.of("merchant", merchant.merchant().value(), "key", merchant.key().value(),
                    "content", content == null ? "" : content);
        }

        @GetMapping("/api/v1/test/fail")
        String fail() {
            throw new IllegalStateException("internal detail: password=hunter2 at db01");
        }

        @GetMapping("/api/v1/test/problem")
        String problem() {
            throw new ProblemException(new ProblemType("test-conflict", org.springframework.http.HttpStatus.CONFLICT, "Test conflict"),
                    "the fixture always conflicts");
        }
    }
}
