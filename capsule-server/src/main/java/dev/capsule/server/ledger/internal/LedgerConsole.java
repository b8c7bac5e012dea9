package dev.capsule.server.ledger.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.platform.ServerConsole;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code capsule ledger verify}, run by the server jar on the server's database (see {@link ServerConsole}). Errors are
 * one line on stderr: exit 2 for usage, 1 for a broken invariant or a failure.
 */
public final class LedgerConsole {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final String USAGE = """
            Usage: capsule ledger verify [DATABASE FLAGS]

            Checks every invariant of the server's double-entry ledger in one snapshot (docs/payments.md "The ledger"):
            every transfer balanced, total debits = total credits per ledger, every account's stored balances = the
            sums of its transfers, no account past its balance-limit flag. Exit 0 when all hold, 1 when one is broken
            (each problem printed, at most 100) or the check could not run.
            DATABASE FLAGS (as for capsule serve):
            """ + ServerConsole.DATABASE_FLAGS_USAGE;

    private LedgerConsole() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ServerConsole.Arguments arguments;
        try {
            arguments = ServerConsole.split(args);
        } catch (IllegalArgumentException e) {
            err.println("capsule ledger: " + e.getMessage() + " (see capsule ledger --help)");
            return EXIT_USAGE;
        }
        List<String> rest = arguments.rest();
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (rest.isEmpty()) {
            err.println("capsule ledger: say what to do: verify (see capsule ledger --help)");
            return EXIT_USAGE;
        }
        if (!rest.getFirst().equals("verify")) {
            err.println("capsule ledger: unknown command '" + SafeText.escape(rest.getFirst(), 80) + "'; one of: verify (see capsule ledger --help)");
            return EXIT_USAGE;
        }
        if (rest.size() > 1) {
            err.println("capsule ledger: verify takes no arguments, not '" + SafeText.escape(rest.get(1), 80) + "' (see capsule ledger --help)");
            return EXIT_USAGE;
        }
        try (ConfigurableApplicationContext context = ServerConsole.start(arguments.springArguments(), LedgerConsoleConfiguration.class)) {
            LedgerCheck check = context.getBean(Ledger.class).verify();
            for (String problem : check.problems()) {
                out.println("problem: " + problem);
            }
            out.printf(Locale.ROOT, "%s: %d accounts, %d transfers, %d problems%n", check.ok() ? "ledger verified" : "ledger BROKEN",
                    check.accounts(), check.transfers(), check.problems().size());
            return check.ok() ? EXIT_OK : EXIT_FAILED;
        } catch (RuntimeException e) {
            err.println("capsule ledger: " + ServerConsole.rootMessage(e));
            return EXIT_FAILED;
        }
    }
}
