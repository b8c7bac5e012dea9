package dev.capsule.cli;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.ExportWriter;
import dev.capsule.core.log.LogCursor;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.SignedNote;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the server's audit log up to its latest checkpoint to a portable file (JSON Lines:",
            "header, signed checkpoints, entries) that 'capsule audit verify --export' and other tools check offline.",
            "The export copies what the server returns; it proves nothing until verified."})
final class AuditExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The Capsule server, e.g. https://audit.example:8443.")
    String url;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The export file to write (replaced if it exists).")
    Path out;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws CliFailure {
        Path target = out.toAbsolutePath();
        Path tmp = null;
        try (AuditServer audit = server.connect(url)) {
            byte[] latest = audit.latestCheckpoint()
                    .orElseThrow(() -> CliFailure.rejected("the server's audit log has no checkpoint yet: nothing to export"));
            Checkpoint head;
            try {
                head = Checkpoint.parse(SignedNote.parse(latest).text());
            } catch (LogFormatException e) {
                throw CliFailure.rejected("the server's latest checkpoint is malformed: " + e.getMessage());
            }
            tmp = Files.createTempFile(target.getParent(), ".capsule-audit-", ".tmp");
            long checkpoints = 0;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                ExportWriter writer = new ExportWriter(file, head.origin(), head.size());
                try (LogCursor<byte[]> notes = audit.checkpoints(head.size())) {
                    for (byte[] note = notes.next(); note != null; note = notes.next()) {
                        writer.checkpoint(note);
                        checkpoints++;
                    }
                }
                try (LogCursor<LogEntry> entries = audit.entries(head.size())) {
                    for (LogEntry entry = entries.next(); entry != null; entry = entries.next()) {
                        writer.entry(entry);
                        progress(entry.index() + 1, head.size());
                    }
                }
                writer.finish();
            }
            move(tmp, target);
            tmp = null;
            spec.commandLine().getOut().println(dev.capsule.core.text.SafeText.escape("exported " + head.size() + " entries and "
                    + checkpoints + " signed checkpoints of " + head.origin() + " to " + out));
            return ExitCode.OK;
        } catch (LogFormatException e) {
            throw CliFailure.rejected("the server's answer is malformed: " + e.getMessage());
        } catch (IllegalStateException e) {
            // ExportWriter refuses entries out of order or missing: the server did not return the log it announced.
            throw CliFailure.rejected("the server's log is inconsistent: " + e.getMessage());
        } catch (IOException e) {
            throw CliFailure.rejected("cannot export: " + AuditVerifyCommand.describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: a leftover hidden temporary file is harmless.
                }
            }
        }
    }

    private void progress(long done, long total) {
        if (total >= dev.capsule.core.log.LogVerifier.PROGRESS_EVERY_ENTRIES && done % dev.capsule.core.log.LogVerifier.PROGRESS_EVERY_ENTRIES == 0
                && done < total) {
            spec.commandLine().getErr().println("capsule audit export: " + done + " of " + total + " entries");
            spec.commandLine().getErr().flush();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
