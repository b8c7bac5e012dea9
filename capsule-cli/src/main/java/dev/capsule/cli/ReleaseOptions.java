package dev.capsule.cli;

import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseFormatException;
import dev.capsule.runtime.release.ReleaseClient;
import dev.capsule.runtime.release.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * 'capsule run --from URL APPID': run the current release of a mini-program from a platform server, verified against
 * a pinned platform trust file ({@link ReleaseClient}: release log, signatures, freshness, rollback, kill switch).
 */
final class ReleaseOptions {
    /** Where the client state lives unless --state says otherwise: kept across runs, so rollback protection holds. */
    static final String STATE_DIR_DEFAULT = ".capsule/releases";

    @Option(names = "--from", paramLabel = "URL",
            description = {"Run the current release of APPID from this platform server (https://HOST[:PORT]),",
                "verified against --trust-platform; the mini-program is stopped if the platform revokes it."})
    String from;

    @Option(names = "--trust-platform", paramLabel = "FILE",
            description = "The platform trust file (capsule-platform-trust/1), pinned out of band, for --from.")
    Path trustPlatform;

    @Option(names = "--state", paramLabel = "DIR",
            description = {"Where --from keeps what it has verified (latest checkpoint, versions seen, revocation list sequence);",
                "default ~/" + STATE_DIR_DEFAULT + ". Keep it: it is what refuses a rolled-back log or version."})
    Path state;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = {"With --from: accept only the server certificate with this SHA-256 fingerprint (as 'capsule serve' prints it)",
                "instead of the JDK's trusted certificate authorities."})
    String tlsFingerprint;

    boolean given() {
        return from != null;
    }

    /** Checks the options that need --from are not given without it. */
    void requireFromForTheRest() throws CliFailure {
        if (from == null && (trustPlatform != null || state != null || tlsFingerprint != null)) {
            throw CliFailure.usage("--trust-platform, --state and --tls-fingerprint go with --from URL");
        }
    }

    /** A started release client (its revocation watcher polls until it is closed). */
    ReleaseClient client() throws CliFailure {
        if (trustPlatform == null) {
            throw CliFailure.usage("--from needs --trust-platform FILE: the platform trust file its releases are verified against");
        }
        PlatformTrust trust = readTrust();
        URI url;
        try {
            url = URI.create(from);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--from: not a valid URL");
        }
        Path dir = state != null ? state : Path.of(System.getProperty("user.home")).resolve(STATE_DIR_DEFAULT);
        ReleaseClient.Settings settings = ReleaseClient.Settings.of(url, trust, dir);
        if (tlsFingerprint != null) {
            settings = settings.withTls(PinnedTrust.context(PinnedTrust.parseFingerprint(tlsFingerprint)));
        }
        try {
            return ReleaseClient.start(settings);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--from: " + e.getMessage());
        } catch (ReleaseException e) {
            throw CliFailure.rejected(e.getMessage());
        }
    }

    private PlatformTrust readTrust() throws CliFailure {
        try (InputStream in = Files.newInputStream(trustPlatform)) {
            byte[] data = in.readNBytes(PlatformTrust.FILE_BYTES_MAX + 1);
            if (data.length > PlatformTrust.FILE_BYTES_MAX) {
                throw CliFailure.usage(trustPlatform + ": larger than " + PlatformTrust.FILE_BYTES_MAX + " bytes: not a platform trust file");
            }
            return PlatformTrust.parse(data);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + trustPlatform + ": " + CliIo.describe(e));
        } catch (ReleaseFormatException e) {
            throw CliFailure.usage(trustPlatform + ": " + e.getMessage());
        }
    }
}
