package dev.capsule.runtime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.release.RevocationList;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.core.testing.TestReleaseLog;
import dev.capsule.runtime.net.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import javax.net.ssl.SSLContext;

/**
 * The platform's public release endpoints (bundle, revocation list) over real HTTPS with a test CA, served by the
 * JDK's HttpsServer from a {@link TestReleaseLog} built with core's classes; tests publish releases and
 * revocation lists, or swap in tampered answers. The real server side is the {@code releases} module's.
 */
public final class ReleaseTestServer implements AutoCloseable {
    private static final TestCertificates.Issued CA = TestCertificates.newAuthority("Capsule release test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.issueServer(CA, "localhost");

    public final TestReleaseLog log = new TestReleaseLog();
    public final SigningKey developer = SigningKey.generate();
    /** What the bundle endpoint answers per app id, given the client's {@code since}. */
    public final Map<String, LongFunction<byte[]>> bundles = new ConcurrentHashMap<>();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpsServer https;
    private volatile byte[] revocations;
    private volatile int revocationStatus = 200;
    private long sequence;

    public ReleaseTestServer() throws IOException {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serverContext(SERVER, CA)));
        https.createContext("/api/v1/releases/", this::handle);
        https.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        https.start();
        publishRevocations(List.of(), Optional.empty());
    }

    /** The TLS trust a client needs for this server (its test CA). */
    public static SSLContext clientTls() {
        return TestCertificates.trusting(CA);
    }

    /** The SHA-256 fingerprint of the server's certificate (what 'capsule run --tls-fingerprint' pins). */
    public static String certificateFingerprint() {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(SERVER.certificate().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI url() {
        return URI.create("https://localhost:" + https.getAddress().getPort());
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Packs, countersigns, logs and serves {@code version} of {@code appId} under {@code preset}, with {@code script} as its index page. */
    public void release(String appId, String version, RiskProfile preset, String script) {
        byte[] pkg = pack(appId, version, script);
        ReleaseEntry.Release plain = TestReleaseLog.release(appId, version, pkg, developer.publicKey(), now());
        ReleaseEntry.Release entry = new ReleaseEntry.Release(plain.appId(), plain.version(), plain.packageDigest(), plain.developerKeyId(),
                plain.sbomDigest(), plain.findingsDigest(), plain.approver(), preset, plain.time());
        long index;
        synchronized (log) {
            index = log.append(entry);
        }
        bundles.put(appId, since -> {
            synchronized (log) {
                return log.bundle(appId, version, index, log.size(), now(), since, Optional.empty(), developer.publicKey(), pkg).toJson();
            }
        });
    }

    /** A package whose index page runs {@code script}, developer-signed and platform-countersigned. */
    public byte[] pack(String appId, String version, String script) {
        var files = new java.util.TreeMap<String, byte[]>();
        files.put("capsule.json", ("{\"id\":\"" + appId + "\",\"version\":\"" + version
                + "\",\"name\":\"Todo\",\"developer\":{\"id\":\"example\",\"name\":\"Example Ltd\"}}").getBytes(StandardCharsets.UTF_8));
        files.put("app.json", "{\"pages\":[\"pages/index/index\"]}".getBytes(StandardCharsets.UTF_8));
        files.put("app.js", "App({})".getBytes(StandardCharsets.UTF_8));
        files.put("pages/index/index.js", script.getBytes(StandardCharsets.UTF_8));
        try {
            byte[] signed = dev.capsule.core.pkg.PackageSigner.sign(dev.capsule.core.pkg.Packer.pack(files, dev.capsule.core.pkg.PackageLimits.DEFAULTS),
                    developer, dev.capsule.core.pkg.Role.DEVELOPER);
            return dev.capsule.core.pkg.PackageSigner.sign(signed, log.countersignKey, dev.capsule.core.pkg.Role.PLATFORM);
        } catch (dev.capsule.core.pkg.PackageException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs and serves a new revocation list (next sequence) issued now. */
    public synchronized void publishRevocations(List<RevocationList.Revoked> revoked, Optional<dev.capsule.core.manifest.SemanticVersion> minimum) {
        Instant issued = now();
        revocations = signed(new RevocationList(TestReleaseLog.ORIGIN, ++sequence, issued, issued.plus(RevocationList.VALIDITY), minimum, revoked));
    }

    /** Serves exactly this list (a replay, an old one). */
    public void serveRevocations(byte[] envelope) {
        revocations = envelope;
    }

    public byte[] currentRevocations() {
        return revocations;
    }

    public byte[] signed(RevocationList list) {
        return list.sign(log.revocationKey.publicKey(), log.revocationKey::sign).toJson();
    }

    public synchronized long sequence() {
        return sequence;
    }

    /** Makes the revocation endpoint answer with {@code status} (503: the kill switch is unreachable). */
    public void revocationStatus(int status) {
        revocationStatus = status;
    }

    public static RevocationList.Revoked revoked(String appId, String version, String reason) {
        return new RevocationList.Revoked(appId, version, reason, now());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestURI().toString());
            if (path.equals("/api/v1/releases/revocations")) {
                answer(exchange, revocationStatus, revocationStatus == 200 ? revocations : new byte[0]);
                return;
            }
            String[] parts = path.split("/");
            if (parts.length == 6 && parts[5].equals("bundle") && bundles.containsKey(parts[4])) {
                String query = exchange.getRequestURI().getQuery();
                long since = 0;
                for (String p : query == null ? new String[0] : query.split("&")) {
                    if (p.startsWith("since=")) {
                        since = Long.parseLong(p.substring(6));
                    }
                }
                answer(exchange, 200, bundles.get(parts[4]).apply(since));
                return;
            }
            answer(exchange, 404, new byte[0]);
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The platform trust file's text for this server's keys (what 'capsule run --trust-platform' reads). */
    public String trustFile() {
        return log.trust().format();
    }

    @Override
    public void close() {
        https.stop(0);
    }

}
