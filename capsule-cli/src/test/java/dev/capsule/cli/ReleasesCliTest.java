package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.testing.TestReleaseLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capsule releases verify} as a monitor meets it, against the release log's public HTTP API served by a JDK
 * HttpServer from a log built with the core classes only (an implementation independent of the server's).
 */
class ReleasesCliTest {
    private static final String APP = "com.example.todo";

    @TempDir
    Path tmp;
    private final TestReleaseLog log = new TestReleaseLog();
    private final SigningKey developer = SigningKey.generate();
    private final Instant recently = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
    private Path trust;
    private Path state;

    @BeforeEach
    void history() throws Exception {
        trust = tmp.resolve("platform.trust");
        Files.writeString(trust, log.trust().format());
        state = tmp.resolve("monitor-state.json");
        appendHistory(log);
    }

    /** Two releases, a rollout, a rollback, a revocation and a minimum runtime. */
    private void appendHistory(TestReleaseLog target) {
        target.append(new ReleaseEntry.MinimumRuntime("1.0.0", "operator-1", TestReleaseLog.T0));
        for (String version : List.of("1.0.0", "1.1.0")) {
            byte[] pkg = TestReleaseLog.pack(APP, version, developer, Optional.of(target.countersignKey));
            target.append(TestReleaseLog.release(APP, version, pkg, developer.publicKey(), TestReleaseLog.T0));
        }
        target.append(new ReleaseEntry.Rollout(APP, "1.1.0", 10, false, "operator-1", TestReleaseLog.T0));
        target.append(new ReleaseEntry.Rollout(APP, "1.1.0", 50, true, "operator-1", TestReleaseLog.T0));
        target.append(new ReleaseEntry.Rollback(APP, "1.0.0", "1.1.0", "operator-1", TestReleaseLog.T0));
        target.append(new ReleaseEntry.Revocation(1, APP, "1.1.0", "leaks tokens", "officer-1", TestReleaseLog.T0));
    }

    private CliRun verify(AuditTestServer server, String... extra) {
        List<String> args = new ArrayList<>(List.of("releases", "verify", "--url", server.url(), "--trust", trust.toString()));
        args.addAll(List.of(extra));
        return CliRun.oneLineErrors(args.toArray(String[]::new));
    }

    @Test
    void verifiesAnIntactLogAndThenItsGrowthFromTheStoredCheckpoint() throws Exception {
        long firstSize = log.size();
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            CliRun r = verify(server, "--state", state.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().strip()).isEqualTo("release log " + TestReleaseLog.ORIGIN + " verified: 7 entries (1 mini-programs),"
                    + " checkpoint published " + recently + ", 1 server proofs");
            assertThat(server.requests).allMatch(u -> u.startsWith("/api/v1/releases/log/"));
        }
        assertThat(ReleaseClientState.read(state).checkpoint().orElseThrow().size()).isEqualTo(firstSize);

        byte[] v2 = TestReleaseLog.pack(APP, "2.0.0", developer, Optional.of(log.countersignKey));
        log.append(TestReleaseLog.release(APP, "2.0.0", v2, developer.publicKey(), TestReleaseLog.T0));
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently.plusSeconds(60)))) {
            CliRun r = verify(server, "--state", state.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("8 entries", "consistent with the size " + firstSize + " seen before");
            assertThat(server.requests).contains("/api/v1/releases/log/proofs/consistency?from=" + firstSize + "&to=8");
        }
        assertThat(ReleaseClientState.read(state).checkpoint().orElseThrow().size()).isEqualTo(8);
    }

    @Test
    void anotherLogOfTheSameSizeAfterTheStoredOneIsASplitView() throws Exception {
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            assertThat(verify(server, "--state", state.toString()).code()).isZero();
        }
        // Same platform keys, same size as stored, but another history: what a server shows some other client.
        TestReleaseLog shown = log.fork();
        for (int i = 0; i < log.size() - 1; i++) {
            shown.append(log.entry(i));
        }
        shown.append(new ReleaseEntry.MinimumRuntime("1.5.0", "operator-1", TestReleaseLog.T0));
        try (AuditTestServer server = AuditTestServer.startReleases(shown, shown.checkpoint(shown.size(), recently.plusSeconds(60)))) {
            CliRun r = verify(server, "--state", state.toString());
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("split-view:");
        }
        assertThat(ReleaseClientState.read(state).checkpoint().orElseThrow().rootHash()).as("the state keeps the first view")
                .isEqualTo(log.root(log.size()));
    }

    @Test
    void aGrownLogWithoutAValidConsistencyProofIsRefused() throws Exception {
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            assertThat(verify(server, "--state", state.toString()).code()).isZero();
        }
        log.append(new ReleaseEntry.MinimumRuntime("1.2.0", "operator-1", TestReleaseLog.T0));
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently.plusSeconds(60)))) {
            server.consistency = (from, to) -> List.of(MerkleHash.leafHash(new byte[] {9}));
            CliRun r = verify(server, "--state", state.toString());
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("inconsistent-log: no valid consistency proof from size 7 to 8");
        }
    }

    @Test
    void aFrozenOrWrongPurposeCheckpointIsRefused() throws Exception {
        Instant old = recently.minus(Duration.ofHours(25));
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), old))) {
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("checkpoint-stale:", "may be frozen");
            assertThat(verify(server, "--max-age-hours", "26").code()).as("a monitor may allow more").isZero();
        }
        String byRevocationKey = TestReleaseLog.checkpoint(log.size(), log.root(log.size()), recently, log.revocationKey);
        try (AuditTestServer server = AuditTestServer.startReleases(log, byRevocationKey)) {
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("checkpoint-signature:");
        }
    }

    @Test
    void aChangedEntryIsNamed() throws Exception {
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            List<LogEntry> entries = new ArrayList<>(server.entries);
            byte[] forged = new ReleaseEntry.Rollout(APP, "1.1.0", 20, false, "operator-1", TestReleaseLog.T0).toCanonicalJson();
            entries.set(3, LogEntry.of(3, forged));
            server.entries = entries;
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("tampered or invalid: checkpoint #1 (size 7): root hash does not match");
        }
    }

    @Test
    void aSignedHistoryThatBreaksTheReleaseRulesIsReported() throws Exception {
        // The platform itself logs a shrinking rollout and a release that lowers the version: validly signed, still wrong.
        log.append(new ReleaseEntry.Rollout(APP, "1.1.0", 20, false, "operator-1", TestReleaseLog.T0));
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("entry 7: rollout of " + APP + " 1.1.0 shrinks from 50% to 20%");
        }
        TestReleaseLog lowered = log.fork();
        for (int i = 0; i < 7; i++) {
            lowered.append(log.entry(i));
        }
        byte[] old = TestReleaseLog.pack(APP, "0.9.0", developer, Optional.of(log.countersignKey));
        lowered.append(TestReleaseLog.release(APP, "0.9.0", old, developer.publicKey(), TestReleaseLog.T0));
        try (AuditTestServer server = AuditTestServer.startReleases(lowered, lowered.checkpoint(lowered.size(), recently))) {
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
            assertThat(r.err()).contains("entry 7: release of " + APP + " 0.9.0 after 1.1.0: versions must strictly increase");
        }
    }

    @Test
    void aBadTrustOrStateFileIsAUsageErrorAndTheStateIsNeverResetSilently() throws Exception {
        try (AuditTestServer server = AuditTestServer.startReleases(log, log.checkpoint(log.size(), recently))) {
            Files.writeString(trust, "capsule-platform-trust/1\norigin " + TestReleaseLog.ORIGIN + "\n");
            CliRun r = verify(server);
            assertThat(r.code()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("--trust", "package-countersignature");

            Files.writeString(trust, log.trust().format());
            Files.writeString(state, "{\"format\":\"capsule-release-client-state/1\"}");
            r = verify(server, "--state", state.toString());
            assertThat(r.code()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("--state", "remove the file deliberately");
            assertThat(Files.readString(state, StandardCharsets.UTF_8)).isEqualTo("{\"format\":\"capsule-release-client-state/1\"}");
        }
    }
}
