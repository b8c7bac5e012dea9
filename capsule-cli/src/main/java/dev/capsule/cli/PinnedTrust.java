package dev.capsule.cli;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS trust pinned to one server certificate: the connection is accepted only if the leaf certificate's SHA-256
 * (of its DER encoding) equals the pin, the fingerprint {@code capsule serve} prints. No CA is consulted, so a
 * self-signed development certificate works, and no other certificate does, whoever signed it.
 */
final class PinnedTrust {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private PinnedTrust() {}

    /** Parses a SHA-256 fingerprint: 64 hex digits, optionally colon-separated, either case. */
    static byte[] parseFingerprint(String text) throws CliFailure {
        String hex = text.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        if (!HEX64.matcher(hex).matches()) {
            throw CliFailure.usage("--tls-fingerprint: expected a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** An SSL context trusting exactly the certificate with this fingerprint. */
    static SSLContext context(byte[] fingerprint) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Manager(fingerprint.clone())}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot set up TLS", e);
        }
    }

    private static final class Manager extends X509ExtendedTrustManager {
        private final byte[] fingerprint;

        Manager(byte[] fingerprint) {
            this.fingerprint = fingerprint;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] actual;
            try {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (GeneralSecurityException e) {
                throw new CertificateException("cannot hash the server certificate", e);
            }
            if (!MessageDigest.isEqual(actual, fingerprint)) {
                throw new CertificateException("the server certificate's SHA-256 fingerprint does not match --tls-fingerprint");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
