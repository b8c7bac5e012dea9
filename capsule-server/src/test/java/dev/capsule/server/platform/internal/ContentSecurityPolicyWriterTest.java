package dev.capsule.server.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A module's own policy applies to its pages only, and only when it is not weaker than the platform's rules allow. */
class ContentSecurityPolicyWriterTest {
    private static final String SHELL = "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; report-uri /csp-reports";

    private static SecurityContribution answering(String path, String policy) {
        return new SecurityContribution() {
            @Override
            public Optional<String> contentSecurityPolicy(HttpServletRequest request) {
                return request.getRequestURI().startsWith(path) ? Optional.of(policy) : Optional.empty();
            }
        };
    }

    private static String written(ContentSecurityPolicyWriter writer, String path) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        writer.writeHeaders(new MockHttpServletRequest("GET", path), response);
        return response.getHeader(ContentSecurityPolicyWriter.HEADER);
    }

    @Test
    void aContributedPolicyAppliesToItsPathsOnly() {
        var writer = new ContentSecurityPolicyWriter(SecurityConfiguration.CONTENT_SECURITY_POLICY, List.of(answering("/shell", SHELL)));
        assertThat(written(writer, "/shell/settings")).isEqualTo(SHELL);
        assertThat(written(writer, "/console/home")).isEqualTo(SecurityConfiguration.CONTENT_SECURITY_POLICY);
    }

    @Test
    void aWeakerContributedPolicyFallsBackToThePlatforms() {
        for (String weak : List.of(SHELL.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
                SHELL.replace("object-src 'none'; ", ""), SHELL.replace("base-uri 'none'; ", ""),
                SHELL.replace("frame-ancestors 'none'; ", ""), SHELL.replace("; report-uri /csp-reports", ""),
                SHELL + "\r\nSet-Cookie: x=y")) {
            var writer = new ContentSecurityPolicyWriter(SecurityConfiguration.CONTENT_SECURITY_POLICY, List.of(answering("/shell", weak)));
            assertThat(written(writer, "/shell")).as(weak).isEqualTo(SecurityConfiguration.CONTENT_SECURITY_POLICY);
        }
    }
}
