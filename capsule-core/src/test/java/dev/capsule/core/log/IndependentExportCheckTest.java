package dev.capsule.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.testing.RepoPaths;
import dev.capsule.core.testing.TestAuditLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capsule's exports checked by code Capsule did not share: docs/audit/verify-export.py (Python standard library for
 * the tree, OpenSSL for Ed25519), the independent route docs/audit.md gives auditors. Needs python3 and openssl
 * (OpenSSL 3) on the PATH, as on the project's machines; fails, never skips, without them.
 */
class IndependentExportCheckTest {
    private static final SigningKey KEY = SigningKey.generate();
    private static final TestAuditLog LOG = TestAuditLog.build("capsule.local/audit/independent", KEY, 1234, 0, 1, 5, 64, 1000, 1234);

    @TempDir
    Path tmp;

    record Run(int code, String output) {}

    @Test
    void independentCheckerAcceptsCapsulesExport() throws Exception {
        Path export = tmp.resolve("audit.jsonl");
        LOG.writeExport(export);
        Run run = check(export);
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("ok: 1234 entries of capsule.local/audit/independent");
    }

    @Test
    void independentCheckerRejectsWhatCapsuleRejects() throws Exception {
        Path export = tmp.resolve("tampered.jsonl");
        LOG.writeExport(export);
        byte[] forged = "{\"index\":292}".getBytes(StandardCharsets.UTF_8);
        TestAuditLog.replaceLine(export, 1 + 6 + 292, "{\"index\":292,\"entry\":\"" + Base64.getEncoder().encodeToString(forged)
                + "\",\"leafHash\":\"" + Base64.getEncoder().encodeToString(MerkleHash.leafHash(forged)) + "\"}");
        Run run = check(export);
        assertThat(run.code()).isNotZero();
        assertThat(run.output()).contains("checkpoint size 1000: root does not match the entries");
        assertThat(new LogVerifier(java.util.List.of(KEY.publicKey()), 0, null).verify(ExportFile.open(export)).message())
                .contains("checkpoint #5 (size 1000): root hash does not match");

        Path resigned = tmp.resolve("other-key.jsonl");
        TestAuditLog.build("capsule.local/audit/independent", SigningKey.generate(), 1234, 1234).writeExport(resigned);
        Run other = check(resigned);
        assertThat(other.code()).isNotZero();
        assertThat(other.output()).contains("bad or no trusted signature");
    }

    private Run check(Path export) throws Exception {
        Path pub = tmp.resolve("audit.pub");
        Files.writeString(pub, KEY.publicKey().toPem());
        Path script = RepoPaths.root().resolve("docs/audit/verify-export.py");
        Process process;
        try {
            process = new ProcessBuilder("python3", script.toString(), export.toString(), pub.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("python3 is needed for the independent export check: " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("verify-export.py did not finish in 60 s");
        }
        return new Run(process.exitValue(), output);
    }
}
