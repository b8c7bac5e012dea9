package dev.capsule.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code capsule} command. Each subcommand lives in its own class. */
@Command(
        name = "capsule",
        mixinStandardHelpOptions = true,
        versionProvider = CapsuleCli.Version.class,
        description = "Capsule: build, sign, verify and run mini-program packages.",
        subcommands = {
            CommandLine.HelpCommand.class,
            KeygenCommand.class,
            PackCommand.class,
            SignCommand.class,
            VerifyCommand.class,
            InspectCommand.class,
            ReviewCommand.class,
            RunCommand.class,
            RenderCommand.class,
            AuditCommand.class,
            SubmitCommand.class,
            ReleasesCommand.class,
            ReportCommand.class,
            ServerJarCommand.Serve.class,
            ServerJarCommand.Dev.class,
            ServerJarCommand.Keys.class,
            ServerJarCommand.Osv.class,
            ServerJarCommand.Ledger.class
        },
        footer = {"", "Exit codes: 0 ok, 1 rejected (invalid package, bad signature, policy, tampered audit log), 2 usage error.",
                "Add --debug to any command to see a stack trace for unexpected errors."})
public final class CapsuleCli {
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print a stack trace for unexpected errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. Used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new CapsuleCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            String qualified = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(qualified + ": " + e.getMessage() + " (see '" + qualified + " --help')");
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            String command = c.getCommandSpec().qualifiedName();
            if (e instanceof CliFailure failure) {
                err.println(command + ": " + failure.getMessage());
                return failure.exitCode();
            }
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println(command + ": unexpected error: " + e + " (run with --debug for details)");
            }
            return ExitCode.REJECTED;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Reads the version Maven wrote into version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = CapsuleCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"capsule " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
        }
    }
}
