package dev.capsule.cli;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.LogOutcome;
import dev.capsule.core.log.LogVerifier;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseCheckpoints;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseFormatException;
import dev.capsule.core.release.ReleaseLogMonitor;
import dev.capsule.core.text.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a platform's release transparency log as a monitor: the latest checkpoint is signed by a",
            "release-checkpoint key of the --trust file, of its origin and fresh; every entry is a valid release-log entry and",
            "the history obeys the release rules (versions only increase, rollbacks and revocations name released versions,",
            "rollouts never shrink); the Merkle tree recomputed from the entries matches the checkpoint; the server's proofs",
            "verify. With --state, the log must also be consistent with the checkpoint stored there by the previous run",
            "(no split view, no rewritten history), and the new checkpoint is stored. Exit 0 if all holds; exit 1 naming",
            "the first problem."})
final class ReleasesVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The Capsule server, e.g. https://releases.example:8443.")
    String url;

    @Option(names = "--trust", required = true, paramLabel = "FILE",
            description = "The platform trust file (capsule-platform-trust/1), pinned out of band.")
    Path trustFile;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The checkpoint seen by the previous run; created on first use, replaced atomically when the log verifies.")
    Path stateFile;

    @Option(names = "--max-age-hours", paramLabel = "N", defaultValue = "24",
            description = "Refuse a latest checkpoint published more than N hours ago: the log may be frozen (default ${DEFAULT-VALUE}).")
    long maxAgeHours;

    @Option(names = "--proofs-max", paramLabel = "N", defaultValue = "" + LogVerifier.SERVER_PROOFS_MAX,
            description = "Check at most N server proofs (default ${DEFAULT-VALUE}).")
    long proofsMax;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = {"Accept only the server certificate with this SHA-256 fingerprint (as 'capsule serve' prints it)",
                "instead of the JDK's trusted certificate authorities."})
    String tlsFingerprint;

    @Override
    public Integer call() throws CliFailure {
        if (maxAgeHours < 1 || maxAgeHours > 24 * 365) {
            throw CliFailure.usage("--max-age-hours must be 1.." + 24 * 365);
        }
        if (proofsMax < 0) {
            throw CliFailure.usage("--proofs-max must be >= 0");
        }
        PlatformTrust trust = readTrust(trustFile);
        ReleaseClientState state = stateFile == null ? ReleaseClientState.empty() : readState(stateFile);
        Optional<byte[]> pin = tlsFingerprint == null ? Optional.empty() : Optional.of(PinnedTrust.parseFingerprint(tlsFingerprint));
        try (AuditServer server = AuditServer.connect(url, AuditServer.RELEASES_API, Optional.empty(), pin)) {
            byte[] note = server.latestCheckpoint()
                    .orElseThrow(() -> CliFailure.rejected("the server's release log has no checkpoint yet: nothing to verify"));
            long size = AuditVerifyCommand.unverifiedSize(note);
            Optional<Checkpoint> stored = state.checkpoint().filter(c -> c.origin().equals(trust.origin()));
            List<byte[]> consistency = stored.isPresent() && stored.get().size() > 0 && stored.get().size() < size
                    ? server.consistencyProof(stored.get().size(), size) : List.of();
            Checkpoint checkpoint = switch (ReleaseCheckpoints.check(new String(note, java.nio.charset.StandardCharsets.UTF_8), trust, stored,
                    consistency, Clock.systemUTC().instant(), Duration.ofHours(maxAgeHours))) {
                case ReleaseCheckpoints.Refused refused -> throw CliFailure.rejected(refused.rejection().reason().code() + ": "
                        + refused.rejection().message());
                case ReleaseCheckpoints.Accepted accepted -> accepted.checkpoint();
            };
            ReleaseLogMonitor monitor = new ReleaseLogMonitor();
            LogOutcome outcome = verifier(trust, monitor).verify(server.sourceAt(note, checkpoint.size()));
            return switch (outcome) {
                case LogOutcome.Tampered tampered -> throw CliFailure.rejected("tampered or invalid: " + tampered.message());
                case LogOutcome.Valid valid -> {
                    if (stateFile != null) {
                        writeState(state.withCheckpoint(checkpoint));
                    }
                    spec.commandLine().getOut().println(SafeText.escape("release log " + valid.origin() + " verified: " + valid.size()
                            + " entries (" + monitor.miniPrograms() + " mini-programs), checkpoint published "
                            + checkpoint.time().orElseThrow() + (valid.serverProofs() > 0 ? ", " + valid.serverProofs() + " server proofs" : "")
                            + stored.map(s -> ", consistent with the size " + s.size() + " seen before").orElse("")));
                    yield ExitCode.OK;
                }
            };
        } catch (IOException e) {
            throw CliFailure.rejected("cannot read the release log: " + AuditVerifyCommand.describe(e));
        } catch (LogFormatException e) {
            throw CliFailure.rejected("tampered or invalid: " + e.getMessage());
        }
    }

    private LogVerifier verifier(PlatformTrust trust, ReleaseLogMonitor monitor) {
        PrintWriter err = spec.commandLine().getErr();
        return new LogVerifier(trust.keys(PlatformTrust.Purpose.RELEASE_CHECKPOINT), proofsMax, (done, total) -> {
            if (total >= LogVerifier.PROGRESS_EVERY_ENTRIES && done < total) {
                err.println("capsule releases verify: " + done + " of " + total + " entries verified");
                err.flush();
            }
        }, monitor);
    }

    private static PlatformTrust readTrust(Path file) throws CliFailure {
        try (InputStream in = Files.newInputStream(file)) {
            return PlatformTrust.parse(in.readNBytes(PlatformTrust.FILE_BYTES_MAX + 1));
        } catch (IOException e) {
            throw CliFailure.usage("cannot read --trust " + file + ": " + CliIo.describe(e));
        } catch (ReleaseFormatException e) {
            throw CliFailure.usage("--trust " + file + ": " + e.getMessage());
        }
    }

    private static ReleaseClientState readState(Path file) throws CliFailure {
        try {
            return ReleaseClientState.read(file);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read --state " + file + ": " + CliIo.describe(e));
        } catch (ReleaseFormatException e) {
            // Never start afresh over a damaged state: that would forget the checkpoint a split view is judged by.
            throw CliFailure.usage("--state " + file + ": " + e.getMessage() + " (fix or remove the file deliberately)");
        }
    }

    private void writeState(ReleaseClientState state) throws CliFailure {
        try {
            state.write(stateFile);
        } catch (IOException e) {
            throw CliFailure.usage("cannot write --state " + stateFile + ": " + CliIo.describe(e));
        }
    }
}
