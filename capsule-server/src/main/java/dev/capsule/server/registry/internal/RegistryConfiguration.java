package dev.capsule.server.registry.internal;

import dev.capsule.server.platform.LargeRequestBody;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry's one exception to the platform's 1 MiB body limit: an upload carries a whole package. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {
    @Bean
    LargeRequestBody packageUploadBody() {
        return new LargeRequestBody("POST", PackageController.PACKAGES, Submissions.UPLOAD_BYTES_MAX);
    }
}
