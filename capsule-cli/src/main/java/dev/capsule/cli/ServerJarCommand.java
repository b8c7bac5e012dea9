package dev.capsule.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code serve}, {@code dev}, {@code keys}, {@code osv} and {@code ledger} belong to the platform server, which runs from its own jar
 * (capsule-server) so this one stays free of Spring. They are listed here so that {@code capsule
 * help} shows them; run from this jar they say how to run them, and never pretend to.
 */
@Command
abstract sealed class ServerJarCommand implements Callable<Integer> permits ServerJarCommand.Serve, ServerJarCommand.Dev, ServerJarCommand.Keys,
        ServerJarCommand.Osv, ServerJarCommand.Ledger {
    /** Whatever follows is the server's to parse; accepted here only so the hint is shown instead of an option error. */
    @Unmatched
    List<String> rest = new ArrayList<>();

    abstract String name();

    @Override
    public Integer call() throws CliFailure {
        throw CliFailure.usage("'" + name() + "' runs from the server jar, not this CLI jar: use the launcher, ./capsule " + name()
                + " ... (docs/server.md)");
    }

    @Command(name = "serve", description = "Run the platform server (HTTPS API, web console, audit log). Runs from the server jar: ./capsule serve.")
    static final class Serve extends ServerJarCommand {
        @Override
        String name() {
            return "serve";
        }
    }

    @Command(name = "dev", description = "Preview a mini-program directory in the browser, reloaded on save (127.0.0.1 only). "
            + "Runs from the server jar: ./capsule dev DIR.")
    static final class Dev extends ServerJarCommand {
        @Override
        String name() {
            return "dev";
        }
    }

    @Command(name = "keys", description = "Manage the server's keys: list, status, rotate, destroy. Runs from the server jar: ./capsule keys.")
    static final class Keys extends ServerJarCommand {
        @Override
        String name() {
            return "keys";
        }
    }

    @Command(name = "osv", description = "Import OSV advisories into the server's store: import FILE.zip, status. Runs from the server jar: ./capsule osv.")
    static final class Osv extends ServerJarCommand {
        @Override
        String name() {
            return "osv";
        }
    }

    @Command(name = "ledger", description = "Check every invariant of the server's double-entry ledger: verify. Runs from the server jar: ./capsule ledger.")
    static final class Ledger extends ServerJarCommand {
        @Override
        String name() {
            return "ledger";
        }
    }
}
