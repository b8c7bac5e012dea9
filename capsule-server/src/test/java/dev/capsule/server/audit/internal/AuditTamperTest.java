package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.CapsuleCli;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TwoNodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tampering with any stored row of the log — an entry, a leaf hash, an inner subtree hash, a checkpoint —
 * is detected by {@code capsule audit verify --url} (run in-process through {@link CapsuleCli#run}), which
 * names the bad entry where there is one; the untouched log verifies. Each case disables the append-only
 * triggers as the database superuser (what an attacker with database access could do), changes one row,
 * runs the verifier, and puts the row back. Its own server and database: the tampering never reaches
 * other tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTamperTest {
    private TwoNodes.Node node;
    private JdbcClient jdbc;
    private String[] verify;
    private long victim;

    @BeforeAll
    void startServerWithALog() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        node = TwoNodes.Node.start(SharedPostgres.newDatabase(), Base64.getEncoder().encodeToString(key));
        jdbc = node.jdbc();
        ApplicationEventPublisher trail = node.context();
        CheckpointPublisher publisher = node.context().getBean(CheckpointPublisher.class);
        for (int i = 0; i < 20; i++) {
            trail.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, "before-" + i, null));
        }
        publisher.publishNow();
        for (int i = 0; i < 13; i++) {
            trail.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, "after-" + i, null));
        }
        String token = AuditorKeys.create(node.context(), node.https());
        publisher.publishNow();
        victim = jdbc.sql("SELECT idx FROM audit_entries WHERE convert_from(entry, 'UTF8') LIKE '%\"reason\":\"before-7\"%'")
                .query(Long.class).single();

        Path dir = TestDirectories.create("capsule-audit-tamper");
        Path trust = dir.resolve("audit.pub");
        Files.writeString(trust, node.context().getBean(PlatformSigner.class).primary(SigningPurpose.AUDIT_CHECKPOINT).key().toPem());
        Path keyFile = dir.resolve("api-key");
        Files.writeString(keyFile, token);
        String url = node.https().uri("/").toString().replaceAll("/$", "");
        verify = new String[] {"audit", "verify", "--url", url, "--trust", trust.toString(), "--api-key-file", keyFile.toString(),
                "--tls-fingerprint", node.context().getBean(ServerCertificate.class).fingerprint()};
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void untouchedLogVerifies() {
        Result result = run(verify);
        assertThat(result.exit()).as(result.text()).isZero();
        AuditVerification.Result server = serverRun();
        assertThat(server.valid()).as(server.message()).isTrue();
        assertThat(server.size()).isEqualTo(jdbc.sql("SELECT max(size) FROM audit_checkpoints").query(Long.class).single());
    }

    @Test
    void changedEntryIsNamed() {
        assertDetected("audit_entries", "entry", "idx = " + victim, "entry K", "entry " + victim);
    }

    @Test
    void changedLeafHashIsNamed() {
        assertDetected("audit_nodes", "hash", "level = 0 AND idx = " + victim, "hash", "entry " + victim);
    }

    /**
     * An inner subtree hash a requested proof uses (the inclusion proof of the first checkpoint's last entry):
     * found already on the entries page, at the entry that completes the subtree.
     */
    @Test
    void changedInnerHashOnAProofPathIsNamed() {
        long size = jdbc.sql("SELECT min(size) FROM audit_checkpoints").query(Long.class).single();
        NodeId inner = MerkleProofs.inclusionNodes(size - 1, size).stream().filter(id -> id.level() > 0).findFirst().orElseThrow();
        long first = inner.index() << inner.level();
        long last = first + (1L << inner.level()) - 1;
        assertDetected("audit_nodes", "hash", "level = " + inner.level() + " AND idx = " + inner.index(), "hash",
                "entry " + last + ": the source's stored hash of entries " + first + ".." + last + " differs");
    }

    /** Any stored inner hash, whether or not a proof the verifier asks for passes through it. */
    @Test
    void changedInnerHashAnywhereIsNamed() {
        assertDetected("audit_nodes", "hash", "level = 2 AND idx = 1", "hash", "entry 7: the source's stored hash of entries 4..7 differs");
        assertDetected("audit_nodes", "hash", "level = 1 AND idx = 12", "hash", "entry 25: the source's stored hash of entries 24..25 differs");
    }

    @Test
    void deletedInnerHashIsNamed() {
        byte[] original = jdbc.sql("SELECT hash FROM audit_nodes WHERE level = 3 AND idx = 0").query(byte[].class).single();
        asSuperuser("audit_nodes", "DELETE FROM audit_nodes WHERE level = 3 AND idx = 0");
        try {
            Result tampered = run(verify);
            assertThat(tampered.exit()).as(tampered.text()).isEqualTo(1);
            assertThat(tampered.text()).contains("entry 7: the source's stored hash of entries 0..7 is missing");
            assertServerRunFinds("entry 7: the source's stored hash of entries 0..7 is missing");
        } finally {
            asSuperuser("audit_nodes", "INSERT INTO audit_nodes (level, idx, hash) VALUES (3, 0, ?)", original);
        }
        Result restored = run(verify);
        assertThat(restored.exit()).as(restored.text()).isZero();
    }

    @Test
    void changedCheckpointIsDetected() {
        long size = jdbc.sql("SELECT min(size) FROM audit_checkpoints").query(Long.class).single();
        assertDetected("audit_checkpoints", "note", "size = " + size, "note", "checkpoint");
    }

    /**
     * Changes {@code column} of the row matching {@code where} in {@code table}, expects verify to fail
     * (naming {@code named} if not null), puts the row back and expects verify to pass again.
     */
    private void assertDetected(String table, String column, String where, String kind, String named) {
        String change = switch (kind) {
            case "entry K" -> "convert_to(replace(convert_from(entry, 'UTF8'), 'before-7', 'before-8'), 'UTF8')";
            case "hash" -> "sha256(hash)";
            // The root hash's first character changed: the signature no longer covers the body.
            case "note" -> "regexp_replace(note, E'^([^\\n]*\\n[0-9]+\\n)(.)', E'\\\\1' || CASE WHEN substring(note from E'^[^\\n]*\\n[0-9]+\\n(.)') = 'A' THEN 'B' ELSE 'A' END)";
            default -> throw new IllegalArgumentException(kind);
        };
        List<Object> original = new ArrayList<>(jdbc.sql("SELECT " + column + " FROM " + table + " WHERE " + where).query().singleColumn());
        assertThat(original).hasSize(1);
        asSuperuser(table, "UPDATE " + table + " SET " + column + " = " + change + " WHERE " + where);
        try {
            Result tampered = run(verify);
            assertThat(tampered.exit()).as(tampered.text()).isEqualTo(1);
            if (named != null) {
                assertThat(tampered.text()).contains(named);
            }
            assertServerRunFinds(named);
        } finally {
            asSuperuser(table, "UPDATE " + table + " SET " + column + " = ? WHERE " + where, original.getFirst());
        }
        Result restored = run(verify);
        assertThat(restored.exit()).as(restored.text()).isZero();
        assertThat(serverRun().valid()).isTrue();
    }

    /** The console's server-side verification run (the same verifier over the stored tables) finds the same problem. */
    private void assertServerRunFinds(String named) {
        AuditVerification.Result server = serverRun();
        assertThat(server.valid()).as(server.message()).isFalse();
        if (named != null) {
            assertThat(server.message()).contains(named);
        }
    }

    private AuditVerification.Result serverRun() {
        return node.context().getBean(AuditVerification.class).run();
    }

    private void asSuperuser(String table, String update, Object... params) {
        jdbc.sql("ALTER TABLE " + table + " DISABLE TRIGGER USER").update();
        try {
            assertThat(jdbc.sql(update).params(params).update()).isEqualTo(1);
        } finally {
            jdbc.sql("ALTER TABLE " + table + " ENABLE TRIGGER USER").update();
        }
    }

    record Result(int exit, String text) {
    }

    private static Result run(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CapsuleCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out + "\n" + err);
    }
}
