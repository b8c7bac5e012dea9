package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.net.LoopbackClients;
import dev.capsule.runtime.net.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** A test CA and a certificate for {@value #HOST}, the host name the webhook tests' local receivers answer for. */
final class WebhookReceiverTls {
    static final String HOST = "hooks.example.com";
    final TestCertificates.Issued authority = TestCertificates.newAuthority("Capsule Webhook Test CA");
    final TestCertificates.Issued server = TestCertificates.issueServer(authority, HOST);

    SSLContext serverContext() {
        return TestCertificates.serverContext(server, authority);
    }

    /** The production client path, except that {@value #HOST} resolves to 127.0.0.1:{@code port} and only this CA is trusted. */
    GuardedHttpClient client(int port) {
        return LoopbackClients.client(WebhookDeliveries.NET_LIMITS, TestCertificates.trusting(authority), HOST, port);
    }

    /** Writes the server certificate and its PKCS#8 key as PEM files (for Node). */
    void writePem(Path certificate, Path key) throws IOException {
        try {
            Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
            Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(server.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(server.keys().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
