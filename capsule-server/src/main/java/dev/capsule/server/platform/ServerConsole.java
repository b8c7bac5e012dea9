package dev.capsule.server.platform;

import dev.capsule.server.platform.internal.ConsoleBase;
import dev.capsule.server.platform.internal.ServeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Server-side console commands ({@code capsule keys ...}): they act on the server's database directly,
 * found through the same settings and flags as {@code capsule serve} ({@code --data-dir},
 * {@code --db-url}, {@code CAPSULE_DB_*}, {@code CAPSULE_MASTER_KEY}), without starting the web server
 * or any background job. With the embedded database and a server running on it, the console connects
 * to that server's PostgreSQL (its port in {@code postmaster.pid}, the password in the data directory's
 * password file) as one more client; with no server running it starts the database itself. With an
 * external database, console and servers run side by side.
 */
public final class ServerConsole {
    /** The database flags every console command takes, for its usage text. */
    public static final String DATABASE_FLAGS_USAGE = """
              --data-dir DIR    the server's data directory (default ./capsule-data; env CAPSULE_DATA_DIR)
              --db-url URL      the server's external PostgreSQL (jdbc:postgresql://...; env CAPSULE_DB_URL,
                                with CAPSULE_DB_USER and CAPSULE_DB_PASSWORD)
            """;
    /** Set in every console context, so modules can leave out what only a running server does. */
    public static final String CONSOLE_PROPERTY = "capsule.console";
    private static final Map<String, String> FLAGS = Map.of("--data-dir", "capsule.data-dir", "--db-url", "capsule.db.url");

    private ServerConsole() {
    }

    /** A command line split into the database flags (as Spring arguments) and everything else, in order. */
    public record Arguments(List<String> springArguments, List<String> rest) {
        public Arguments {
            springArguments = List.copyOf(springArguments);
            rest = List.copyOf(rest);
        }
    }

    /**
     * Takes {@code --data-dir} and {@code --db-url} (as {@code --flag VALUE} or {@code --flag=VALUE}) out of {@code args}.
     *
     * @throws IllegalArgumentException naming the flag when one lacks a value or is given twice
     */
    public static Arguments split(String[] args) {
        List<String> spring = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (!FLAGS.containsKey(flag)) {
                rest.add(arg);
                continue;
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(flag + " must not be empty");
            }
            if (seen.contains(flag)) {
                throw new IllegalArgumentException(flag + " given twice");
            }
            seen.add(flag);
            spring.add("--" + FLAGS.get(flag) + "=" + value);
        }
        return new Arguments(spring, rest);
    }

    /** Starts a console context: the server's database and settings plus {@code configuration}. Close it when done. */
    public static ConfigurableApplicationContext start(List<String> springArguments, Class<?> configuration) {
        List<String> arguments = new ArrayList<>(springArguments);
        arguments.add("--" + CONSOLE_PROPERTY + "=true");
        // Quiet: the command prints its own result and its one-line failure; no framework log lines or
        // stack traces reach the operator. The platform's own warnings (logger "capsule") still show.
        arguments.add("--logging.level.root=OFF");
        arguments.add("--logging.level.capsule=WARN");
        arguments.add("--spring.main.log-startup-info=false");
        return new SpringApplicationBuilder(ConsoleBase.class, configuration)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .registerShutdownHook(false)
                .run(arguments.toArray(String[]::new));
    }

    /** The innermost message of a failure, first line only: what a console command prints when it fails. */
    public static String rootMessage(Throwable failure) {
        return ServeOptions.rootMessage(failure);
    }
}
