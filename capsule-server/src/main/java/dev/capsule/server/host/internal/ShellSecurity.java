package dev.capsule.server.host.internal;

import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The host module's part of the security chain: the shell session cookie authenticates {@code /shell/**} (and
 * {@code /dev/**}) as {@link ShellAuthentication}; every shell path except signing in and the static files needs it;
 * the shell's pages get their own Content-Security-Policy.
 *
 * <p>CSRF: the shell's forms are checked by the shell itself ({@link ShellForms}: the {@code Origin} header must be
 * this server's, and a signed-in form carries its session's CSRF token), so the operator console's CSRF filter is
 * told to leave {@code POST /shell/**} alone (it would ask for an operator token when the browser also holds an
 * operator session). The cookie is {@code SameSite=Strict} besides.
 */
@Component
class ShellSecurity implements SecurityContribution {
    private final ShellSignIn signIn;
    private final HostSettings settings;

    ShellSecurity(ShellSignIn signIn, HostSettings settings) {
        this.signIn = signIn;
        this.settings = settings;
    }

    @Override
    public List<String> publicPaths() {
        return ShellPaths.PUBLIC;
    }

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers("/shell", "/shell/**").hasAuthority(ShellAuthentication.AUTHORITY);
    }

    @Override
    public void configure(HttpSecurity http) throws Exception {
        http.addFilterAfter(new ShellSessionFilter(signIn, settings, new RequestAttributeSecurityContextRepository()),
                AnonymousAuthenticationFilter.class);
        if (http.getConfigurer(CsrfConfigurer.class) != null) {
            http.csrf(csrf -> csrf.ignoringRequestMatchers(request -> ShellPaths.authenticated(request.getRequestURI())));
        }
    }

    @Override
    public Optional<String> contentSecurityPolicy(HttpServletRequest request) {
        return ShellPaths.authenticated(request.getRequestURI()) ? Optional.of(ShellCsp.policy(settings.frameAncestors())) : Optional.empty();
    }
}
