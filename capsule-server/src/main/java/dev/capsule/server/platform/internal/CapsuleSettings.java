package dev.capsule.server.platform.internal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server's own settings ({@code capsule.*}; flags of {@code capsule serve} and {@code CAPSULE_*}
 * environment variables set them). Spring's own ({@code server.port}, logging) are set the usual way.
 *
 * @param dataDir  where the embedded database and the development certificate live
 * @param httpPort the plain-HTTP port, which only redirects to HTTPS
 * @param db       an external PostgreSQL; empty: the embedded one
 * @param tls      a configured certificate; empty: the development certificate
 */
@ConfigurationProperties("capsule")
public record CapsuleSettings(
        @DefaultValue("./capsule-data") Path dataDir,
        @DefaultValue("8080") int httpPort,
        @DefaultValue Db db,
        @DefaultValue Tls tls) {

    /**
     * @param url          JDBC URL of an external PostgreSQL; blank for the embedded one
     * @param user         its user name
     * @param password     its password (never printed: {@link #toString()} redacts it)
     */
    public record Db(String url, String user, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }

        @Override
        public String toString() {
            return "Db[url=" + JdbcUrls.redact(url) + ", user=" + user + ", password=" + (password == null ? "none" : "<redacted>") + "]";
        }
    }

    /**
     * @param certificate PEM certificate chain; with {@code privateKey}, replaces the development certificate
     * @param privateKey  PEM private key (PKCS#8, or PKCS#1/SEC1)
     */
    public record Tls(Path certificate, Path privateKey) {
        public Tls {
            if ((certificate == null) != (privateKey == null)) {
                throw new IllegalArgumentException("capsule.tls.certificate and capsule.tls.private-key go together");
            }
        }

        public boolean configured() {
            return certificate != null;
        }
    }

    public CapsuleSettings {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("capsule.http-port must be from 0 to 65535, not " + httpPort);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }
}
