package dev.capsule.server.platform.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate the server presents: a configured PEM certificate and key, or the development
 * certificate, generated on first start and kept in {@code <data-dir>/tls}.
 *
 * <p>Security guarantees: the development key is an ECDSA P-256 key from the JDK's SecureRandom,
 * written to a file created with mode 0600 (never readable by others, not even briefly) and never
 * printed; the certificate is self-signed for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
 * only, so clients must pin its printed SHA-256 fingerprint or trust the file. An existing pair is
 * reused as it is, so the fingerprint stays the same across restarts.
 *
 * @param certificatePem the PEM file of the certificate chain
 * @param privateKeyPem  the PEM file of its private key
 * @param fingerprint    SHA-256 of the leaf certificate's DER encoding, colon-separated upper-case hex
 * @param development    whether this is the generated development certificate
 */
public record ServerCertificate(Path certificatePem, Path privateKeyPem, String fingerprint, boolean development) {
    /** How long a development certificate is valid; an expired one is replaced at the next start. */
    static final Duration DEVELOPMENT_VALIDITY_DAYS = Duration.ofDays(825);
    static final String CERTIFICATE_FILE = "dev-certificate.pem";
    static final String PRIVATE_KEY_FILE = "dev-private-key.pem";

    /** The configured pair (checked now, so a wrong path fails at start with its name). */
    static ServerCertificate configured(Path certificate, Path privateKey) {
        for (Path file : new Path[] {certificate, privateKey}) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("TLS file " + file + " does not exist or cannot be read");
            }
        }
        return new ServerCertificate(certificate, privateKey, fingerprint(readLeaf(certificate)), false);
    }

    /** The development pair in {@code tlsDirectory}, generated when missing or expired. */
    static ServerCertificate development(Path tlsDirectory) {
        Path certificate = tlsDirectory.resolve(CERTIFICATE_FILE);
        Path privateKey = tlsDirectory.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(certificate) && Files.exists(privateKey)) {
            X509Certificate leaf = readLeaf(certificate);
            if (leaf.getNotAfter().toInstant().isAfter(Instant.now())) {
                return new ServerCertificate(certificate, privateKey, fingerprint(leaf), true);
            }
        }
        X509Certificate leaf = generate(tlsDirectory, certificate, privateKey);
        return new ServerCertificate(certificate, privateKey, fingerprint(leaf), true);
    }

    private static X509Certificate generate(Path directory, Path certificateFile, Path privateKeyFile) {
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost,O=Capsule development certificate");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()).setBit(127),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(DEVELOPMENT_VALIDITY_DAYS)),
                    subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress()),
            }));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            // Key first, so a certificate file never exists without its key.
            writeAtomically(privateKeyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), "rw-------");
            writeAtomically(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), "rw-r--r--");
            return certificate;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the development certificate to " + directory + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not generate the development certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writeAtomically(Path file, String text, String permissions) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        // Created with its final permissions: the key is never readable by others, even for a moment.
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static X509Certificate readLeaf(Path pemFile) {
        try {
            byte[] bytes = Files.readAllBytes(pemFile);
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            if (certificates.isEmpty()) {
                throw new IllegalStateException("TLS certificate file " + pemFile + " holds no certificate");
            }
            return (X509Certificate) certificates.iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read TLS certificate " + pemFile + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalStateException("TLS certificate file " + pemFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not compute the certificate fingerprint", e);
        }
    }
}
