package dev.capsule.server.releases.internal;

import dev.capsule.server.platform.SecurityContribution;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The releases module's public paths: anyone may monitor the release log, download a bundle, fetch the revocation
 * list and the platform trust file, without authentication (what they serve is signed and verifiable). Management
 * and the kill switch stay behind authentication and their permissions.
 */
@Component
class ReleasesSecurity implements SecurityContribution {
    static final List<String> PUBLIC_PATHS = List.of("/api/v1/releases/log/**", "/api/v1/releases/*/bundle", "/api/v1/releases/revocations",
            "/api/v1/releases/platform-trust", "/releases/log");

    @Override
    public List<String> publicPaths() {
        return PUBLIC_PATHS;
    }
}
