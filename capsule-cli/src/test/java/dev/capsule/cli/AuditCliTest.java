package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.testing.TestAuditLog;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capsule audit verify} and {@code capsule audit export} as a user meets them, against the contract's HTTP API
 * served by a JDK HttpServer from a log built with the core API, and against export files tampered with on disk.
 */
class AuditCliTest {
    private static final String ORIGIN = "capsule.local/audit/cli-test";
    private static final SigningKey KEY = SigningKey.generate();
    private static final TestAuditLog LOG = TestAuditLog.build(ORIGIN, KEY, 2500, 1, 1000, 2048, 2500);
    private static final int FIRST_ENTRY_LINE = 1 + 4;

    @TempDir
    Path tmp;
    private Path pub;
    private Path apiKey;

    @BeforeEach
    void keys() throws Exception {
        pub = tmp.resolve("audit.pub");
        Files.writeString(pub, KEY.publicKey().toPem());
        apiKey = tmp.resolve("api-key");
        Files.writeString(apiKey, AuditTestServer.API_KEY + "\n");
    }

    private CliRun run(String... args) {
        CliRun r = CliRun.oneLineErrors(args);
        assertThat(r.out() + r.err()).as("the API key is never printed").doesNotContain(AuditTestServer.API_KEY);
        return r;
    }

    @Test
    void verifyAgainstTheServerAcceptsAnIntactLogAndChecksItsProofs() throws Exception {
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().strip()).isEqualTo("log " + ORIGIN + " verified: 2500 entries, 4 signed checkpoints, 10 server proofs");
            assertThat(server.requests).filteredOn(u -> u.startsWith("/api/v1/audit/entries")).hasSize(3);
        }
    }

    @Test
    void checkpointsArePagedAndServerProofsCapped() throws Exception {
        long[] sizes = new long[1250];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 2L * (i + 1);
        }
        TestAuditLog many = TestAuditLog.build(ORIGIN, KEY, 2500, sizes);
        try (AuditTestServer server = AuditTestServer.start(many)) {
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString(),
                    "--proofs-max", "50");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().strip()).isEqualTo("log " + ORIGIN + " verified: 2500 entries, 1250 signed checkpoints, 50 server proofs");
            assertThat(server.requests).filteredOn(u -> u.startsWith("/api/v1/audit/checkpoints"))
                    .containsExactly("/api/v1/audit/checkpoints?fromSize=0&limit=1000", "/api/v1/audit/checkpoints?fromSize=2001&limit=1000");
        }
    }

    @Test
    void exportThenVerifyTheExportOffline() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            CliRun r = run("audit", "export", "--url", server.url(), "--out", file.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("exported 2500 entries and 4 signed checkpoints of " + ORIGIN);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1 + 4 + 2500);
        assertThat(lines.getFirst()).isEqualTo("{\"format\":\"capsule-audit-export/1\",\"origin\":\"" + ORIGIN + "\",\"size\":2500}");
        CliRun verified = run("audit", "verify", "--export", file.toString(), "--trust", pub.toString());
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out().strip()).isEqualTo("log " + ORIGIN + " verified: 2500 entries, 4 signed checkpoints");
    }

    @Test
    void tamperedExportsAreRejectedNamingTheFirstBadEntryOrCheckpoint() throws Exception {
        byte[] forged = "{\"index\":123,\"type\":\"nothing\"}".getBytes(StandardCharsets.UTF_8);
        assertTampered(file -> TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 123, entryLine(123, forged, MerkleHash.leafHash(LOG.entries().get(123)))),
                "entry 123: leaf hash does not match the entry bytes");
        assertTampered(file -> TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 7, entryLine(7, LOG.entries().get(7), new byte[32])),
                "entry 7: leaf hash does not match");
        assertTampered(file -> TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 1500, entryLine(1500, forged, MerkleHash.leafHash(forged))),
                "checkpoint #3 (size 2048): root hash does not match the tree of the entries: one of entries 1000..2047");
        assertTampered(file -> {
            List<String> lines = new ArrayList<>(readLines(file));
            lines.remove(FIRST_ENTRY_LINE + 600);
            writeLines(file, lines);
        }, "entry 600: found entry 601 where entry 600 belongs");
        assertTampered(file -> {
            List<String> lines = new ArrayList<>(readLines(file));
            String a = lines.get(FIRST_ENTRY_LINE + 30);
            lines.set(FIRST_ENTRY_LINE + 30, lines.get(FIRST_ENTRY_LINE + 31));
            lines.set(FIRST_ENTRY_LINE + 31, a);
            writeLines(file, lines);
        }, "entry 30: found entry 31 where entry 30 belongs");
        assertTampered(file -> {
            String note = readLines(file).get(2);
            int at = note.lastIndexOf(' ') + 20;
            String changed = note.substring(0, at) + (note.charAt(at) == 'A' ? 'B' : 'A') + note.substring(at + 1);
            TestAuditLog.replaceLine(file, 2, changed);
        }, "checkpoint #2 (size 1000): invalid signature");
        assertTampered(file -> TestAuditLog.replaceLine(file, 2, checkpointLine(LOG.sign(1000, LOG.root(999)))),
                "checkpoint #2 (size 1000): root hash does not match");
        assertTampered(file -> TestAuditLog.replaceLine(file, 3,
                        checkpointLine(TestAuditLog.build(ORIGIN, SigningKey.generate(), 2048, 2048).checkpointNotes().getFirst())),
                "checkpoint #3 (size 2048): no signature by a trusted key");
    }

    @Test
    void tamperedServerEntryIsNamed() throws Exception {
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            List<LogEntry> entries = new ArrayList<>(LOG.logEntries());
            byte[] forged = "{\"index\":1717}".getBytes(StandardCharsets.UTF_8);
            entries.set(1717, new LogEntry(1717, forged, LOG.logEntries().get(1717).leafHash()));
            server.entries = entries;
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("capsule audit verify: tampered or invalid: entry 1717: leaf hash does not match");
        }
    }

    @Test
    void serverProofsThatDoNotVerifyAreNamed() throws Exception {
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            server.consistency = (from, to) -> LOG.consistencyProof(from + 1, to);
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("checkpoint #2 (size 1000): the server's consistency proof from size 1 does not verify");

            server.consistency = LOG::consistencyProof;
            server.inclusion = (index, size) -> LOG.inclusionProof(index == 0 ? 0 : index - 1, size);
            r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.err()).contains("checkpoint #2 (size 1000): the server's inclusion proof of entry 999 does not verify");
        }
    }

    @Test
    void wrongApiKeyIsRefusedWithoutShowingIt() throws Exception {
        Path wrong = tmp.resolve("wrong-key");
        Files.writeString(wrong, "capk_wrong\n");
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", wrong.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("HTTP 401").contains("sign in or send an API key").doesNotContain("capk_wrong");
        }
    }

    @Test
    void emptyLogHasNothingToVerify() throws Exception {
        try (AuditTestServer server = AuditTestServer.start(LOG)) {
            server.notes = List.of();
            CliRun r = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("no checkpoint yet");
        }
    }

    @Test
    void untrustedKeyRejectsTheLog() throws Exception {
        Path other = tmp.resolve("other.pub");
        Files.writeString(other, SigningKey.generate().publicKey().toPem());
        Path file = tmp.resolve("audit.jsonl");
        LOG.writeExport(file);
        CliRun r = run("audit", "verify", "--export", file.toString(), "--trust", other.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("checkpoint #1 (size 1): no signature by a trusted key");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        LOG.writeExport(file);
        assertThat(run("audit", "verify", "--export", file.toString()).code()).isEqualTo(2);
        assertThat(run("audit", "verify", "--trust", pub.toString()).code()).isEqualTo(2);
        assertThat(run("audit", "verify", "--export", file.toString(), "--url", "https://x", "--trust", pub.toString()).code()).isEqualTo(2);
        assertThat(run("audit", "verify", "--export", tmp.resolve("missing").toString(), "--trust", pub.toString()).code()).isEqualTo(2);
        CliRun plain = run("audit", "verify", "--url", "http://audit.example.com", "--trust", pub.toString());
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.err()).contains("plain http is allowed only to a loopback address");
        assertThat(run("audit", "verify", "--url", "https://127.0.0.1:1", "--tls-fingerprint", "abc", "--trust", pub.toString()).code()).isEqualTo(2);
        assertThat(run("audit").code()).isEqualTo(2);
        assertThat(run("audit", "verify", "--help").out()).contains("Usage: capsule audit verify");
        assertThat(run("audit", "export", "--help").out()).contains("Usage: capsule audit export");
    }

    @Test
    void unreachableServerIsOneLine() {
        CliRun r = run("audit", "verify", "--url", "http://127.0.0.1:1", "--trust", pub.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read the log").contains("cannot connect");
    }

    @Test
    void tlsFingerprintPinsTheServerCertificate() throws Exception {
        Path store = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        byte[] der = keyStore.getCertificate("server").getEncoded();
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));

        try (AuditTestServer server = AuditTestServer.startTls(LOG, tls)) {
            CliRun pinned = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString(),
                    "--tls-fingerprint", fingerprint);
            assertThat(pinned.code()).as(pinned.err()).isZero();
            int requestsWhilePinned = server.requests.size();

            String wrong = HexFormat.of().formatHex(new byte[32]);
            CliRun refused = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString(),
                    "--tls-fingerprint", wrong);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("TLS failed: the server certificate's SHA-256 fingerprint does not match --tls-fingerprint");
            // Without a pin the self-signed certificate is not trusted by the JDK's CAs.
            CliRun unpinned = run("audit", "verify", "--url", server.url(), "--trust", pub.toString(), "--api-key-file", apiKey.toString());
            assertThat(unpinned.code()).isEqualTo(1);
            assertThat(unpinned.err()).contains("TLS failed: the server certificate is not issued by an authority this JDK trusts");
            assertThat(server.requests).as("no request (nor API key) reached the server over an untrusted connection")
                    .hasSize(requestsWhilePinned);
        }
    }

    private interface Tamper {
        void apply(Path file) throws Exception;
    }

    private void assertTampered(Tamper tamper, String message) throws Exception {
        Path file = Files.createTempFile(tmp, "audit", ".jsonl");
        LOG.writeExport(file);
        tamper.apply(file);
        CliRun r = run("audit", "verify", "--export", file.toString(), "--trust", pub.toString());
        assertThat(r.code()).as(message).isEqualTo(1);
        assertThat(r.err()).startsWith("capsule audit verify: tampered or invalid: " + message);
    }

    private static List<String> readLines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static void writeLines(Path file, List<String> lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String entryLine(long index, byte[] entry, byte[] leafHash) {
        return "{\"index\":" + index + ",\"entry\":\"" + Base64.getEncoder().encodeToString(entry) + "\",\"leafHash\":\""
                + Base64.getEncoder().encodeToString(leafHash) + "\"}";
    }

    private static String checkpointLine(byte[] note) {
        return "{\"checkpoint\":" + dev.capsule.core.json.StrictJson.mapper().writeValueAsString(new String(note, StandardCharsets.UTF_8)) + "}";
    }
}
