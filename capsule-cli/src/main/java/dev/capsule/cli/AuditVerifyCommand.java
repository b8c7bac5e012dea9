package dev.capsule.cli;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.ExportFile;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.LogOutcome;
import dev.capsule.core.log.LogSource;
import dev.capsule.core.log.LogVerifier;
import dev.capsule.core.log.SignedNote;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Recompute the audit log's Merkle tree from its entries and check every signed checkpoint against it.",
            "Checks each checkpoint's signature (by a --trust key; the key name is the log's origin), each entry's leaf",
            "hash, the root at every checkpoint size, that no entry is missing or out of order, and, with --url, the",
            "server's consistency and inclusion proofs. Exit 0 if the log is intact; exit 1 naming the first bad entry",
            "or checkpoint."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--url", paramLabel = "URL", description = "The Capsule server, e.g. https://audit.example:8443.")
        String url;

        @Option(names = "--export", paramLabel = "FILE", description = "An export written by 'capsule audit export'.")
        Path export;
    }

    @Option(names = "--trust", required = true, paramLabel = "KEY.pub",
            description = "The platform's audit signing public key (PEM); repeat for rotated keys.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--proofs-max", paramLabel = "N", defaultValue = "" + LogVerifier.SERVER_PROOFS_MAX,
            description = "With --url: check at most N server proofs (default ${DEFAULT-VALUE}).")
    long proofsMax;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws CliFailure {
        List<VerifyingKey> keys = new ArrayList<>();
        for (Path file : trust) {
            keys.add(CliIo.readVerifyingKey(file));
        }
        if (proofsMax < 0) {
            throw CliFailure.usage("--proofs-max must be >= 0");
        }
        if (input.export != null) {
            return verify(keys, openExport(input.export));
        }
        try (AuditServer audit = server.connect(input.url)) {
            return verify(keys, openServer(audit));
        }
    }

    private int verify(List<VerifyingKey> keys, LogSource source) throws CliFailure {
        PrintWriter err = spec.commandLine().getErr();
        LogVerifier verifier = new LogVerifier(keys, proofsMax, (done, total) -> {
            if (total >= LogVerifier.PROGRESS_EVERY_ENTRIES && done < total) {
                err.println("capsule audit verify: " + done + " of " + total + " entries verified");
                err.flush();
            }
        });
        LogOutcome outcome;
        try {
            outcome = verifier.verify(source);
        } catch (IOException e) {
            throw CliFailure.rejected("cannot read the log: " + describe(e));
        }
        return switch (outcome) {
            case LogOutcome.Valid valid -> {
                // The origin comes from the log: escape it like any text from outside.
                spec.commandLine().getOut().println(dev.capsule.core.text.SafeText.escape(valid.message()));
                yield ExitCode.OK;
            }
            case LogOutcome.Tampered tampered -> throw CliFailure.rejected("tampered or invalid: " + tampered.message());
        };
    }

    private static LogSource openExport(Path file) throws CliFailure {
        try {
            return ExportFile.open(file);
        } catch (LogFormatException e) {
            throw CliFailure.rejected("tampered or invalid: " + e.getMessage());
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + file + ": " + CliIo.describe(e));
        }
    }

    private static LogSource openServer(AuditServer audit) throws CliFailure {
        try {
            byte[] latest = audit.latestCheckpoint()
                    .orElseThrow(() -> CliFailure.rejected("the server's audit log has no checkpoint yet: nothing to verify"));
            return audit.source(unverifiedSize(latest));
        } catch (IOException e) {
            throw CliFailure.rejected("cannot read the log: " + describe(e));
        }
    }

    /** The size the latest checkpoint claims; it is verified with every other checkpoint later. */
    static long unverifiedSize(byte[] note) throws CliFailure {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text()).size();
        } catch (LogFormatException e) {
            throw CliFailure.rejected("tampered or invalid: latest checkpoint: " + e.getMessage());
        }
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
