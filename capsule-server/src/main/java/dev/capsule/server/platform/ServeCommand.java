package dev.capsule.server.platform;

import dev.capsule.server.platform.internal.ServeOptions;
import java.io.PrintStream;
import org.springframework.boot.SpringApplication;

/**
 * {@code capsule serve} and {@code capsule dev DIR}: turns the command's flags into the server's settings and starts
 * it. Usage
 * errors are one line on stderr and exit code 2; a server that fails to start exits with 1 after one
 * line naming the cause: for a busy port, the flag that moves it; for a refused data directory, what
 * to do. Failures the server explains log no stack trace; any other failure's is in the log above.
 */
public final class ServeCommand {
    /** Exit codes, the same as the CLI's. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private ServeCommand() {
    }

    /**
     * Starts the server and returns {@code -1} while it runs (the caller must not exit the JVM), or
     * returns an exit code when there is nothing to run: help printed, bad flags, start failed.
     */
    public static int run(Class<?> application, String[] args) {
        return run(application, args, System.out, System.err);
    }

    static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        return start("serve", ServeOptions.parse(args), ServeOptions.USAGE, application, out, err);
    }

    /**
     * {@code capsule dev DIR}: the server as a development preview of DIR for this machine only (docs/host.md
     * "Development preview"); returns as {@link #run(Class, String[])}.
     */
    public static int dev(Class<?> application, String[] args) {
        return dev(application, args, System.out, System.err);
    }

    static int dev(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        return start("dev", ServeOptions.parseDev(args), ServeOptions.DEV_USAGE, application, out, err);
    }

    private static int start(String command, ServeOptions.Parsed parsed, String usage, Class<?> application, PrintStream out,
            PrintStream err) {
        return switch (parsed) {
            case ServeOptions.Help help -> {
                out.print(usage);
                yield EXIT_OK;
            }
            case ServeOptions.Invalid invalid -> {
                err.println("capsule " + command + ": " + invalid.message() + " (see capsule " + command + " --help)");
                yield EXIT_USAGE;
            }
            case ServeOptions.Valid valid -> {
                try {
                    SpringApplication.run(application, valid.springArguments());
                    yield -1;
                } catch (RuntimeException e) {
                    err.println("capsule " + command + ": the server did not start: " + ServeOptions.failureLine(e, valid));
                    yield EXIT_FAILED;
                }
            }
        };
    }
}
