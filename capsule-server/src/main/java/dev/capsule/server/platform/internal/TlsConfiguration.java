package dev.capsule.server.platform.internal;

import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTPS: the server's certificate as a Spring Boot SSL bundle ({@value #BUNDLE}, which
 * {@code server.ssl.bundle} names in application.properties).
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {
    static final String BUNDLE = "capsule-server";

    @Bean
    ServerCertificate serverCertificate(CapsuleSettings settings) {
        CapsuleSettings.Tls tls = settings.tls();
        return tls.configured()
                ? ServerCertificate.configured(tls.certificate().toAbsolutePath(), tls.privateKey().toAbsolutePath())
                : ServerCertificate.development(settings.dataDir().resolve("tls"));
    }

    @Bean
    SslBundleRegistrar capsuleSslBundle(ServerCertificate certificate) {
        PemSslStoreDetails keyStore = PemSslStoreDetails
                .forCertificate("file:" + certificate.certificatePem())
                .withPrivateKey("file:" + certificate.privateKeyPem());
        return registry -> registry.registerBundle(BUNDLE, SslBundle.of(new PemSslStoreBundle(keyStore, null)));
    }
}
