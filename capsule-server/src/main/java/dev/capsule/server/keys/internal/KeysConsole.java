package dev.capsule.server.keys.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ServerConsole;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code capsule keys list | rotate PURPOSE | status ROTATION-ID | destroy PURPOSE KEY-ID --yes}, run
 * by the server jar on the server's database (see {@link ServerConsole}). Errors are one line on stderr:
 * exit 2 for usage, 1 for a failure.
 */
public final class KeysConsole {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final String USAGE = """
            Usage: capsule keys list [DATABASE FLAGS]
                   capsule keys rotate PURPOSE [--no-wait] [DATABASE FLAGS]
                   capsule keys status ROTATION-ID [DATABASE FLAGS]
                   capsule keys destroy PURPOSE KEY-ID --yes [DATABASE FLAGS]

            Manages the platform's keys on the server's database (docs/keys.md).
              list      every key (purpose, id, status, dates; never key material) and recent rotations
              rotate    makes a new primary key for PURPOSE; for data keys it then re-encrypts everything
                        under the old key, with a progress bar (server nodes on the same database help), and
                        a server node retires the old key once nothing uses it. --no-wait leaves all of it
                        to the server nodes. With the embedded database and the server running, every
                        command works through the server's PostgreSQL (docs/server.md).
              status    a rotation's progress
              destroy   deletes a retired data key for good: what it protected can never be read again
            PURPOSE: one of %s
            DATABASE FLAGS (as for capsule serve):
            """.formatted(KeyPurpose.codes()) + ServerConsole.DATABASE_FLAGS_USAGE;
    /** How often the wait polls the rotation's progress. */
    static final long POLL_MILLIS = 500;
    /** The wait gives up after this long without progress (no server node is working on the job). */
    static final Duration IDLE_MAX = Duration.ofSeconds(60);
    static final int BAR_CHARS = 30;

    private KeysConsole() {
    }

    /** What the command line asks for. */
    sealed interface Command permits Help, ListKeys, Rotate, Status, Destroy {
    }

    record Help() implements Command {
    }

    record ListKeys() implements Command {
    }

    record Rotate(KeyPurpose purpose, boolean waits) implements Command {
    }

    record Status(UUID id) implements Command {
    }

    record Destroy(KeyPurpose purpose, String keyId) implements Command {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ServerConsole.Arguments arguments;
        Command command;
        try {
            arguments = ServerConsole.split(args);
            command = parse(arguments.rest());
        } catch (IllegalArgumentException e) {
            err.println("capsule keys: " + e.getMessage() + " (see capsule keys --help)");
            return EXIT_USAGE;
        }
        if (command instanceof Help) {
            out.print(USAGE);
            return EXIT_OK;
        }
        boolean embedded = arguments.springArguments().stream().noneMatch(a -> a.startsWith("--capsule.db.url="))
                && blank(System.getenv("CAPSULE_DB_URL"));
        try (ConfigurableApplicationContext context = ServerConsole.start(arguments.springArguments(), KeysConsoleConfiguration.class)) {
            KeyRotations rotations = context.getBean(KeyRotations.class);
            return switch (command) {
                case Help help -> EXIT_OK;
                case ListKeys list -> list(context.getBean(KeyInventory.class), rotations, out);
                case Status status -> status(rotations, status.id(), out, err);
                case Destroy destroy -> {
                    rotations.destroy(destroy.purpose(), destroy.keyId(), null);
                    out.println("destroyed key " + destroy.keyId() + " of " + destroy.purpose().code());
                    yield EXIT_OK;
                }
                case Rotate rotate -> rotate(rotations, new RotationWorker(rotations, context.getBean(JdbcClient.class), false),
                        rotate, out, err);
            };
        } catch (ProblemException e) {
            err.println("capsule keys: " + e.getMessage());
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            String message = ServerConsole.rootMessage(e);
            if (embedded && message.contains("epg-lock")) {
                // zonky's lock, taken between the platform's check and its own (a server starting just then).
                message = "the embedded database is in use (" + message + "): try again once the server has started";
            }
            err.println("capsule keys: " + message);
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("capsule keys: interrupted");
            return EXIT_FAILED;
        }
    }

    static Command parse(List<String> args) {
        List<String> operands = new ArrayList<>();
        boolean noWait = false;
        boolean yes = false;
        for (String arg : args) {
            switch (arg) {
                case "--help", "-h" -> {
                    return new Help();
                }
                case "--no-wait" -> noWait = true;
                case "--yes" -> yes = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    }
                    operands.add(arg);
                }
            }
        }
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("say what to do: list, rotate, status or destroy");
        }
        String verb = operands.getFirst();
        List<String> rest = operands.subList(1, operands.size());
        Command command = switch (verb) {
            case "list" -> {
                expect(rest, 0, "list takes no arguments");
                yield new ListKeys();
            }
            case "rotate" -> {
                expect(rest, 1, "rotate takes one PURPOSE");
                yield new Rotate(purpose(rest.getFirst()), !noWait);
            }
            case "status" -> {
                expect(rest, 1, "status takes one ROTATION-ID");
                try {
                    yield new Status(UUID.fromString(rest.getFirst()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + rest.getFirst() + "' is not a rotation id (a UUID)");
                }
            }
            case "destroy" -> {
                expect(rest, 2, "destroy takes PURPOSE and KEY-ID");
                if (!rest.get(1).matches("[0-9a-f]{8}")) {
                    throw new IllegalArgumentException("'" + rest.get(1) + "' is not a data key id (8 hex digits, see capsule keys list)");
                }
                if (!yes) {
                    throw new IllegalArgumentException("destroy cannot be undone: add --yes to confirm");
                }
                yield new Destroy(purpose(rest.getFirst()), rest.get(1));
            }
            default -> throw new IllegalArgumentException("unknown command '" + verb + "'; one of: list, rotate, status, destroy");
        };
        if (noWait && !(command instanceof Rotate)) {
            throw new IllegalArgumentException("--no-wait goes with rotate");
        }
        if (yes && !(command instanceof Destroy)) {
            throw new IllegalArgumentException("--yes goes with destroy");
        }
        return command;
    }

    private static int list(KeyInventory inventory, KeyRotations rotations, PrintStream out) {
        out.printf(Locale.ROOT, "%-26s %-64s %-10s %s%n", "PURPOSE", "KEY-ID", "STATUS", "CREATED");
        for (KeyInventory.Key key : inventory.all()) {
            out.printf(Locale.ROOT, "%-26s %-64s %-10s %s%n", key.purpose(), key.keyId(), key.status(), key.createdAt());
        }
        List<RotationStatus> recent = rotations.recent();
        if (!recent.isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "%-36s %-26s %-10s %s%n", "ROTATION", "PURPOSE", "STATE", "STARTED");
            recent.stream().limit(10).forEach(r ->
                    out.printf(Locale.ROOT, "%-36s %-26s %-10s %s%n", r.id(), r.purpose(), r.state(), r.startedAt()));
        }
        return EXIT_OK;
    }

    private static int status(KeyRotations rotations, UUID id, PrintStream out, PrintStream err) {
        RotationStatus status = rotations.status(id).orElse(null);
        if (status == null) {
            err.println("capsule keys: no rotation " + id);
            return EXIT_FAILED;
        }
        out.println(describe(status));
        return "failed".equals(status.state()) ? EXIT_FAILED : EXIT_OK;
    }

    /**
     * Starts the rotation and, for data keys, works its re-encryption here with a progress bar until nothing is
     * left under the old key (or a server node finished the job). Retiring stays with the server nodes.
     */
    private static int rotate(KeyRotations rotations, RotationWorker worker, Rotate rotate, PrintStream out, PrintStream err)
            throws InterruptedException {
        RotationStatus started = rotations.start(rotate.purpose(), null);
        out.println("rotation " + started.id() + ": " + started.purpose() + " has a new primary key " + started.newKeyId()
                + " (was " + started.oldKeyId() + ")");
        if (started.finished()) {
            out.println("signing keys: the old public key stays published at /.well-known/capsule-keys");
            return EXIT_OK;
        }
        if (!rotate.waits()) {
            out.println("a server node re-encrypts what the old key protected and then retires it; follow it with: "
                    + "capsule keys status " + started.id());
            return EXIT_OK;
        }
        RotationStatus status = started;
        long idleSince = System.nanoTime();
        while (!status.finished() && !Long.valueOf(0).equals(status.remaining())) {
            err.print("\r" + bar(status));
            err.flush();
            boolean worked = worker.turn();
            RotationStatus next = rotations.status(started.id()).orElseThrow();
            if (worked || next.resealed() != status.resealed() || !Objects.equals(next.remaining(), status.remaining())) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > IDLE_MAX.toNanos()) {
                err.println();
                out.println("rotation " + started.id() + " made no progress for " + IDLE_MAX.toSeconds()
                        + " s (values locked by another process?); it goes on when a server node runs: capsule keys status " + started.id());
                return EXIT_OK;
            } else {
                Thread.sleep(POLL_MILLIS);
            }
            status = next;
        }
        err.println("\r" + bar(status));
        out.println(describe(status));
        if (!status.finished()) {
            out.println("nothing is left under the old key; a server node retires it (at the earliest "
                    + "capsule.keys.retire-grace-seconds after the start) when it runs: capsule keys status " + started.id());
        }
        return "failed".equals(status.state()) ? EXIT_FAILED : EXIT_OK;
    }

    /** The progress bar line: {@code [#######.......]  45%  120 re-encrypted, 146 left}. */
    static String bar(RotationStatus status) {
        int filled = (int) Math.round(status.progress() * BAR_CHARS);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_CHARS - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(status.progress() * 100)) + "  " + status.resealed()
                + " re-encrypted, " + (status.remaining() == null ? "?" : status.remaining()) + " left";
    }

    static String describe(RotationStatus status) {
        return "rotation " + status.id() + " of " + status.purpose() + ": " + status.state() + ", " + status.resealed()
                + " re-encrypted, " + (status.remaining() == null ? "not counted yet" : status.remaining() + " left")
                + ", old key " + status.oldKeyId() + (status.finished() && "done".equals(status.state()) ? " retired" : "")
                + (status.error() == null ? "" : "; error: " + status.error());
    }

    private static KeyPurpose purpose(String code) {
        return KeyPurpose.fromCode(code).orElseThrow(() -> new IllegalArgumentException(
                "unknown key purpose '" + code + "'; one of: " + KeyPurpose.codes()));
    }

    private static void expect(List<String> operands, int count, String message) {
        if (operands.size() != count) {
            throw new IllegalArgumentException(message);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
