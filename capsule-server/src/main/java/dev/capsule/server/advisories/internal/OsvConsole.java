package dev.capsule.server.advisories.internal;

import dev.capsule.core.osv.OsvExport;
import dev.capsule.core.text.SafeText;
import dev.capsule.server.platform.ServerConsole;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code capsule osv import FILE.zip | status}, run by the server jar on the server's database (see
 * {@link ServerConsole}). Errors are one line on stderr: exit 2 for usage, 1 for a failure. An import that refused
 * some entries still completes (exit 0) and prints each refusal (up to {@link OsvImporter#REASONS_SHOWN_MAX}).
 */
public final class OsvConsole {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final String USAGE = """
            Usage: capsule osv import FILE.zip [DATABASE FLAGS]
                   capsule osv status [DATABASE FLAGS]

            Keeps the server's offline copy of OSV advisories, which the automated review matches every
            package's SBOM against (docs/supply-chain.md).
              import    reads an OSV export (an ecosystem's all.zip: one ID.json per advisory), streaming;
                        adds new advisories, replaces those whose 'modified' is newer, keeps the rest;
                        entries too large or not valid OSV are refused and listed; safe to run again
              status    the recent imports and their counts
            DATABASE FLAGS (as for capsule serve):
            """ + ServerConsole.DATABASE_FLAGS_USAGE;
    /** Imports listed by status. */
    static final int STATUS_ROWS_MAX = 10;

    private OsvConsole() {
    }

    sealed interface Command permits Help, Import, Status {
    }

    record Help() implements Command {
    }

    record Import(Path file) implements Command {
    }

    record Status() implements Command {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ServerConsole.Arguments arguments;
        Command command;
        try {
            arguments = ServerConsole.split(args);
            command = parse(arguments.rest());
        } catch (IllegalArgumentException e) {
            err.println("capsule osv: " + e.getMessage() + " (see capsule osv --help)");
            return EXIT_USAGE;
        }
        if (command instanceof Help) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (command instanceof Import(Path file) && !Files.isRegularFile(file)) {
            err.println("capsule osv: no such file: " + SafeText.escape(file.toString()));
            return EXIT_FAILED;
        }
        try (ConfigurableApplicationContext context = ServerConsole.start(arguments.springArguments(), OsvConsoleConfiguration.class)) {
            OsvImporter importer = context.getBean(OsvImporter.class);
            return switch (command) {
                case Help help -> EXIT_OK;
                case Import(Path file) -> report(importer.importFile(file), out);
                case Status status -> status(importer, out);
            };
        } catch (OsvExport.ExportException e) {
            err.println("capsule osv: import failed: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("capsule osv: cannot read the file: " + SafeText.escape(String.valueOf(e.getMessage())));
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            err.println("capsule osv: " + ServerConsole.rootMessage(e));
            return EXIT_FAILED;
        }
    }

    static Command parse(List<String> args) {
        List<String> operands = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Help();
            }
            if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + SafeText.escape(arg, 80) + "'");
            }
            operands.add(arg);
        }
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("say what to do: import FILE.zip or status");
        }
        List<String> rest = operands.subList(1, operands.size());
        return switch (operands.getFirst()) {
            case "import" -> {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("import takes one FILE.zip");
                }
                yield new Import(Path.of(rest.getFirst()));
            }
            case "status" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("status takes no arguments");
                }
                yield new Status();
            }
            default -> throw new IllegalArgumentException("unknown command '" + SafeText.escape(operands.getFirst(), 80) + "'; one of: import, status");
        };
    }

    private static int report(OsvImporter.Report report, PrintStream out) {
        out.printf(Locale.ROOT, "imported %d entries: %d new, %d updated, %d unchanged, %d refused (%d withdrawn advisories, never matched)%n",
                report.entries(), report.inserted(), report.updated(), report.unchanged(), report.refused(), report.withdrawn());
        for (String reason : report.reasons()) {
            out.println("refused " + reason);
        }
        if (report.refused() > report.reasons().size()) {
            out.println("... and " + (report.refused() - report.reasons().size()) + " more refused");
        }
        return EXIT_OK;
    }

    private static int status(OsvImporter importer, PrintStream out) {
        List<OsvImporter.ImportRow> rows = importer.recent(STATUS_ROWS_MAX);
        if (rows.isEmpty()) {
            out.println("no imports yet: the review refuses to scan packages until one completes");
            return EXIT_OK;
        }
        out.printf(Locale.ROOT, "%-6s %-10s %-22s %9s %9s %9s %9s %s%n", "ID", "OUTCOME", "STARTED", "ENTRIES", "NEW", "UPDATED", "REFUSED", "FILE");
        for (OsvImporter.ImportRow r : rows) {
            out.printf(Locale.ROOT, "%-6d %-10s %-22s %9d %9d %9d %9d %s%s%n", r.id(), r.outcome(), r.startedAt().toString().substring(0, 19) + "Z",
                    r.entries(), r.inserted(), r.updated(), r.refused(), r.fileName(), r.failure() == null ? "" : " (" + r.failure() + ")");
        }
        return EXIT_OK;
    }
}
