package dev.capsule.server.platform.internal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server's own settings ({@code capsule.*}; flags of {@code capsule serve} and {@code CAPSULE_*}
 * environment variables set them). Spring's own ({@code server.port}, logging) are set the usual way.
 *
 * @param dataDir  where the embedded database and the development certificate live
 * @param httpPort the plain-HTTP port, which only redirects to HTTPS: a number (0 picks a free one),
 *                 {@code off}, or {@code auto} (the default: 8080 beside the default HTTPS port 8443,
 *                 off beside any other, so {@code --port} alone never binds a second, surprising port)
 * @param db       an external PostgreSQL; empty: the embedded one
 * @param tls      a configured certificate; empty: the development certificate
 */
@ConfigurationProperties("capsule")
public record CapsuleSettings(
        @DefaultValue("./capsule-data") Path dataDir,
        @DefaultValue(CapsuleSettings.HTTP_PORT_AUTO) String httpPort,
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

    public static final String HTTP_PORT_AUTO = "auto";
    public static final String HTTP_PORT_OFF = "off";
    /** The HTTPS port {@code auto} pairs with 8080 (application.properties' server.port). */
    static final int HTTPS_PORT_DEFAULT = 8443;
    static final int HTTP_PORT_DEFAULT = 8080;
    static final int PORT_MAX = 65_535;

    public CapsuleSettings {
        httpPort = httpPort == null || httpPort.isBlank() ? HTTP_PORT_AUTO : httpPort.strip();
        if (!httpPort.equals(HTTP_PORT_AUTO) && !httpPort.equals(HTTP_PORT_OFF) && !isPort(httpPort)) {
            throw new IllegalArgumentException("capsule.http-port must be a port from 0 to " + PORT_MAX + ", off or auto, not '" + httpPort + "'");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The plain-HTTP redirect port beside HTTPS port {@code httpsPort}; empty: no redirect port. */
    public java.util.OptionalInt redirectPort(int httpsPort) {
        return switch (httpPort) {
            case HTTP_PORT_OFF -> java.util.OptionalInt.empty();
            case HTTP_PORT_AUTO -> httpsPort == HTTPS_PORT_DEFAULT ? java.util.OptionalInt.of(HTTP_PORT_DEFAULT) : java.util.OptionalInt.empty();
            default -> java.util.OptionalInt.of(Integer.parseInt(httpPort));
        };
    }

    /** A port number from 0 to {@value #PORT_MAX}, digits only. */
    public static boolean isPort(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Integer.parseInt(value) <= PORT_MAX;
    }
}
