package dev.capsule.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How the commands that talk to a server reach it: API key and TLS pinning. */
final class ServerOptions {
    /** Environment variable holding the API key when --api-key-file is not given. */
    static final String API_KEY_ENV = "CAPSULE_API_KEY";
    /** An API key is a short token; a longer file is not one. */
    static final int API_KEY_CHARS_MAX = 512;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = {"File holding an API key (capk_...): audit.read for audit, packages.submit for submit.",
                "Default: the " + API_KEY_ENV + " environment variable. The key is never printed."})
    Path apiKeyFile;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = {"Accept only the server certificate with this SHA-256 fingerprint (as 'capsule serve' prints it)",
                "instead of the JDK's trusted certificate authorities."})
    String tlsFingerprint;

    AuditServer connect(String url) throws CliFailure {
        return AuditServer.connect(url, apiKey(), tlsFingerprint == null ? Optional.empty()
                : Optional.of(PinnedTrust.parseFingerprint(tlsFingerprint)));
    }

    /** The server's endpoint, without an API key in it (the caller adds the key to its own requests). */
    ServerEndpoint endpoint(String url) throws CliFailure {
        return ServerEndpoint.of(url, tlsFingerprint == null ? Optional.empty()
                : Optional.of(PinnedTrust.parseFingerprint(tlsFingerprint)));
    }

    /** The API key from --api-key-file or the environment; empty when neither gives one. */
    Optional<String> apiKey() throws CliFailure {
        String key;
        String source;
        if (apiKeyFile != null) {
            source = "--api-key-file " + apiKeyFile;
            try (InputStream in = Files.newInputStream(apiKeyFile)) {
                byte[] data = in.readNBytes(API_KEY_CHARS_MAX + 2);
                key = new String(data, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw CliFailure.usage("cannot read " + source + ": " + CliIo.describe(e));
            }
        } else {
            source = "environment variable " + API_KEY_ENV;
            key = System.getenv(API_KEY_ENV);
            if (key == null) {
                return Optional.empty();
            }
            key = key.strip();
        }
        // Only the shape is checked, and the message never shows the key itself.
        if (key.isEmpty() || key.length() > API_KEY_CHARS_MAX || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw CliFailure.usage(source + ": not an API key (expected one line of printable characters, at most "
                    + API_KEY_CHARS_MAX + ")");
        }
        return Optional.of(key);
    }
}
