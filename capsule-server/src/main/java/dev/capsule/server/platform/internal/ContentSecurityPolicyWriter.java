package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.springframework.security.web.header.HeaderWriter;

/**
 * Writes the Content-Security-Policy of every response: a contribution's policy for its own pages
 * ({@link SecurityContribution#contentSecurityPolicy}), else the platform's.
 *
 * <p>Security guarantees: a contributed policy is used only if it has {@code object-src 'none'},
 * {@code base-uri 'none'}, a {@code frame-ancestors} and a {@code report-uri}, no {@code unsafe-} source, and no
 * line break; otherwise the platform's (which frames nothing and runs only this server's scripts) applies, so a
 * mistaken contribution can make a policy stricter, never weaker.
 */
final class ContentSecurityPolicyWriter implements HeaderWriter {
    static final String HEADER = "Content-Security-Policy";

    private final String platformPolicy;
    private final List<SecurityContribution> contributions;

    ContentSecurityPolicyWriter(String platformPolicy, List<SecurityContribution> contributions) {
        this.platformPolicy = platformPolicy;
        this.contributions = List.copyOf(contributions);
    }

    @Override
    public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
        if (response.containsHeader(HEADER)) {
            return;
        }
        response.setHeader(HEADER, policyFor(request));
    }

    String policyFor(HttpServletRequest request) {
        for (SecurityContribution contribution : contributions) {
            Optional<String> policy = contribution.contentSecurityPolicy(request);
            if (policy.isPresent()) {
                return acceptable(policy.get()) ? policy.get() : platformPolicy;
            }
        }
        return platformPolicy;
    }

    static boolean acceptable(String policy) {
        return policy.contains("object-src 'none'") && policy.contains("base-uri 'none'") && policy.contains("frame-ancestors ")
                && policy.contains("report-uri ") && !policy.contains("unsafe-") && policy.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
