package dev.capsule.server.identity.internal;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/** Beans of the identity module: the session cookie and lifetime, CSRF tokens. */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    /** The session cookie: {@code __Host-} prefix (Secure, Path=/, no Domain), HttpOnly, SameSite=Strict. */
    @Bean
    CookieSerializer operatorSessionCookie() {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(IdentitySecurity.SESSION_COOKIE);
        cookie.setCookiePath("/");
        cookie.setUseHttpOnlyCookie(true);
        cookie.setUseSecureCookie(true);
        cookie.setSameSite("Strict");
        return cookie;
    }

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> operatorSessionLifetime() {
        return repository -> repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(OperatorSessions.IDLE_MINUTES_MAX));
    }

    @Bean
    HttpSessionCsrfTokenRepository operatorCsrfTokens() {
        HttpSessionCsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
        tokens.setHeaderName(IdentitySecurity.CSRF_HEADER);
        return tokens;
    }
}
