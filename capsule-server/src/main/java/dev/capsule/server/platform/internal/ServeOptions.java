package dev.capsule.server.platform.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.platform.RegionId;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.springframework.boot.tomcat.ConnectorStartFailedException;
import org.springframework.boot.web.server.PortInUseException;

/**
 * The flags of {@code capsule serve} and {@code capsule dev DIR}, parsed into Spring property arguments. Flags become
 * command-line properties, so they win over environment variables, which win over the defaults.
 */
public final class ServeOptions {
    public static final String USAGE = """
            Usage: capsule serve [--port N] [--http-port N|off] [--data-dir DIR] [--db-url URL]
                                 [--region NAME] [--region-db NAME=URL]...
                                 [--tls-cert FILE --tls-key FILE] [--log-format text|json] [--dev]

            Starts the Capsule platform server (HTTPS; the HTTP port only redirects to HTTPS).
              --port N          HTTPS port (default 8443; 0 picks a free port)
              --http-port N     port that redirects HTTP to HTTPS (0 picks a free port; off: none). Default:
                                8080 when the HTTPS port is 8443, else none (env CAPSULE_HTTP_PORT)
              --data-dir DIR    data directory: embedded database, development certificate
                                (default ./capsule-data; env CAPSULE_DATA_DIR)
              --db-url URL      use this PostgreSQL (jdbc:postgresql://...) instead of the embedded one
                                (env CAPSULE_DB_URL; user and password: CAPSULE_DB_USER, CAPSULE_DB_PASSWORD);
                                another host needs ?sslmode=verify-full (a warning at start otherwise)
              --region NAME     the home region: its people's data and the control plane are in the
                                database above (default local; env CAPSULE_REGION); docs/residency.md
              --region-db NAME=URL
                                the database of another region (repeatable, one per region): a
                                jdbc:postgresql://... URL, or embedded (DATA-DIR/regions/NAME/postgres);
                                user and password: CAPSULE_REGIONS_NAME_USER, CAPSULE_REGIONS_NAME_PASSWORD
              --tls-cert FILE   PEM certificate chain to serve instead of the development certificate
              --tls-key FILE    PEM private key of that certificate
              --log-format F    text (default) or json (Elastic Common Schema, one object a line)
              --dev             development: the shell offers demo users instead of session grants,
                                and every shell page says so (docs/host.md "Demo users")
              --help            this text
            See docs/server.md.
            """;

    public static final String DEV_USAGE = """
            Usage: capsule dev DIR [--port N] [--data-dir DIR] [--log-format text|json]

            Serves a development preview of the unsigned mini-program in DIR at https://localhost:PORT/dev:
            the host shell with a demo user, rebuilt and reloaded when a file changes, beside the logic
            layer's log lines, violations, the page's data and the audit events. Listens on 127.0.0.1 only;
            sessions run in-process. Nothing is signed or reviewed: never for end users.
              --port N          HTTPS port (default 8443; 0 picks a free port)
              --data-dir DIR    data directory: embedded database, development certificate
                                (default ./capsule-dev-data)
              --log-format F    text (default) or json (Elastic Common Schema, one object a line)
              --help            this text
            See docs/host.md "Development preview".
            """;

    /** Where {@code capsule dev} keeps its database unless {@code --data-dir} says otherwise: never serve's. */
    public static final String DEV_DATA_DIR_DEFAULT = "./capsule-dev-data";
    /** The only address {@code capsule dev} listens on: the preview runs unsigned code for whoever connects. */
    public static final String DEV_ADDRESS = "127.0.0.1";

    /** The flags {@code capsule dev DIR} takes (a subset of serve's: no external database or certificate). */
    private static final Set<String> DEV_FLAGS = Set.of("--port", "--data-dir", "--log-format");
    /** Flags without a value. */
    private static final Set<String> SWITCHES = Set.of("--dev");

    /** A flag and the Spring property it sets. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--port", "server.port"),
            Map.entry("--http-port", "capsule.http-port"),
            Map.entry("--data-dir", "capsule.data-dir"),
            Map.entry("--db-url", "capsule.db.url"),
            Map.entry("--tls-cert", "capsule.tls.certificate"),
            Map.entry("--tls-key", "capsule.tls.private-key"),
            Map.entry("--log-format", ""),
            Map.entry("--dev", "capsule.host.demo-users"),
            Map.entry("--region", "capsule.region"),
            Map.entry("--region-db", ""));
    /** Flags that may be given more than once (each occurrence one value). */
    private static final Set<String> REPEATABLE = Set.of("--region-db");
    private static final Set<String> SERVE_FLAGS = FLAGS.keySet();

    private static final int PORT_MAX = 65_535;

    /** What the command line asks for. */
    public sealed interface Parsed permits Help, Invalid, Valid {
    }

    public record Help() implements Parsed {
    }

    public record Invalid(String message) implements Parsed {
    }

    public record Valid(List<String> arguments) implements Parsed {
        public Valid {
            arguments = List.copyOf(arguments);
        }

        public String[] springArguments() {
            return arguments.toArray(String[]::new);
        }
    }

    private ServeOptions() {
    }

    /** {@code capsule serve}'s flags. */
    public static Parsed parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> regionDbs = new ArrayList<>();
        Parsed early = flags(args, SERVE_FLAGS, values, regionDbs, positional);
        if (early != null) {
            return early;
        }
        if (!positional.isEmpty()) {
            return new Invalid("unknown argument '" + positional.getFirst() + "'");
        }
        List<String> spring = new ArrayList<>();
        Parsed regions = regionArguments(values.get("--region"), regionDbs, spring);
        if (regions != null) {
            return regions;
        }
        return springArguments(values, spring);
    }

    /**
     * The Spring arguments of {@code --region-db NAME=URL} (each region once, not the home region, a region's name, a
     * {@code jdbc:postgresql:} URL or {@code embedded}); an {@link Invalid}, or null when all is well. The server checks
     * the same again (its properties may come from elsewhere).
     */
    private static Parsed regionArguments(String home, List<String> regionDbs, List<String> spring) {
        if (home != null && RegionId.parse(home).isEmpty()) {
            return new Invalid("--region must be a region's name (lower-case letters and digits in words joined by hyphens, "
                    + "at most " + RegionId.CHARS_MAX + " characters: eu-west), not '" + SafeText.escape(home) + "'");
        }
        Set<RegionId> seen = new java.util.HashSet<>();
        for (String regionDb : regionDbs) {
            int equals = regionDb.indexOf('=');
            if (equals <= 0) {
                return new Invalid("--region-db takes NAME=URL (eu=jdbc:postgresql://... or eu=embedded)");
            }
            String name = regionDb.substring(0, equals);
            String url = regionDb.substring(equals + 1);
            Optional<RegionId> region = RegionId.parse(name);
            if (region.isEmpty()) {
                return new Invalid("--region-db: '" + SafeText.escape(name) + "' is not a region's name (lower-case letters and "
                        + "digits in words joined by hyphens, at most " + RegionId.CHARS_MAX + " characters: eu-west)");
            }
            if (!url.equals(RegionSettings.EMBEDDED) && !url.startsWith("jdbc:postgresql:")) {
                return new Invalid("--region-db " + name + "= must be a jdbc:postgresql:// URL or embedded, not '"
                        + SafeText.escape(JdbcUrls.redact(url)) + "'");
            }
            if (region.get().value().equals(home == null ? RegionSettings.HOME_DEFAULT : home)) {
                return new Invalid("--region-db " + name + " names the home region, whose database is --db-url or the embedded one");
            }
            if (!seen.add(region.get())) {
                return new Invalid("--region-db " + name + " given twice (one database per region)");
            }
            spring.add("--" + RegionSettings.REGIONS_PROPERTY + "." + name + ".url=" + url);
        }
        return null;
    }

    /**
     * {@code capsule dev DIR}'s arguments: serve's settings for one developer on this machine (demo users, in-process
     * sessions, 127.0.0.1 only, no plain-HTTP port, its own data directory) and the directory to preview.
     */
    public static Parsed parseDev(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Parsed early = flags(args, DEV_FLAGS, values, new ArrayList<>(), positional);
        if (early != null) {
            return early;
        }
        if (positional.isEmpty()) {
            return new Invalid("the directory to preview is missing: capsule dev DIR");
        }
        if (positional.size() > 1) {
            return new Invalid("unknown argument '" + positional.get(1) + "' (one directory at a time)");
        }
        Path dir;
        try {
            dir = Path.of(positional.getFirst()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return new Invalid("'" + SafeText.escape(positional.getFirst()) + "' is not a path");
        }
        if (!Files.isDirectory(dir)) {
            return new Invalid(SafeText.escape(dir.toString()) + " is not a directory");
        }
        values.putIfAbsent("--data-dir", DEV_DATA_DIR_DEFAULT);
        List<String> spring = new ArrayList<>(List.of(
                "--capsule.host.preview-directory=" + dir,
                "--capsule.host.demo-users=true",
                "--capsule.host.isolation=in-process",
                "--server.address=" + DEV_ADDRESS,
                "--capsule.http-port=" + CapsuleSettings.HTTP_PORT_OFF));
        return springArguments(values, spring);
    }

    /**
     * Reads flags into {@code values} (by flag), {@code --region-db}'s into {@code regionDbs} (in order) and the other
     * arguments into {@code positional}; answers {@link Help}, an {@link Invalid}, or null when all is well.
     */
    private static Parsed flags(String[] args, Set<String> allowed, Map<String, String> values, List<String> regionDbs,
            List<String> positional) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Help();
            }
            String flag = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                flag = arg.substring(0, equals);
                value = arg.substring(equals + 1);
                if (SWITCHES.contains(flag) && allowed.contains(flag)) {
                    return new Invalid(flag + " takes no value");
                }
            } else if (SWITCHES.contains(arg) && allowed.contains(arg)) {
                value = "true";
            } else if (allowed.contains(arg)) {
                if (i + 1 >= args.length) {
                    return new Invalid(flag + " needs a value");
                }
                value = args[++i];
            } else if (arg.startsWith("-")) {
                return new Invalid("unknown option '" + arg + "'");
            } else {
                positional.add(arg);
                continue;
            }
            if (!allowed.contains(flag)) {
                return new Invalid("unknown option '" + flag + "'");
            }
            if (REPEATABLE.contains(flag)) {
                regionDbs.add(value);
                continue;
            }
            if (values.put(flag, value) != null) {
                return new Invalid(flag + " given twice");
            }
        }
        return null;
    }
    /** The Spring arguments of checked flag values, after {@code spring} (the command's own). */
    private static Parsed springArguments(Map<String, String> values, List<String> spring) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String flag = entry.getKey();
            String value = entry.getValue();
            switch (flag) {
                case "--http-port" -> {
                    if (!CapsuleSettings.isPort(value) && !value.equals(CapsuleSettings.HTTP_PORT_OFF)) {
                        return new Invalid(flag + " must be a port number from 0 to " + PORT_MAX + " or off, not '" + value + "'");
                    }
                }
                case "--port" -> {
                    if (!CapsuleSettings.isPort(value)) {
                        return new Invalid(flag + " must be a port number from 0 to " + PORT_MAX + ", not '" + value + "'");
                    }
                }
                case "--log-format" -> {
                    switch (value) {
                        case "json" -> spring.add("--logging.structured.format.console=ecs");
                        case "text" -> { }
                        default -> {
                            return new Invalid("--log-format must be text or json, not '" + value + "'");
                        }
                    }
                    continue;
                }
                default -> {
                    if (value.isBlank()) {
                        return new Invalid(flag + " must not be empty");
                    }
                }
            }
            spring.add("--" + FLAGS.get(flag) + "=" + value);
        }

        if (values.containsKey("--tls-cert") != values.containsKey("--tls-key")) {
            return new Invalid("--tls-cert and --tls-key go together");
        }
        return new Valid(spring);
    }

    /**
     * The one line a failed start prints: for a port something else holds, which flag moves it;
     * otherwise the innermost message.
     */
    public static String failureLine(Throwable failure, Valid options) {
        OptionalInt busy = busyPort(failure);
        if (busy.isPresent()) {
            int port = busy.getAsInt();
            boolean https = options.arguments().stream().filter(a -> a.startsWith("--server.port="))
                    .map(a -> Integer.parseInt(a.substring("--server.port=".length())))
                    .findFirst().orElse(CapsuleSettings.HTTPS_PORT_DEFAULT) == port;
            return https ? "port " + port + " (HTTPS) is in use by another program: stop it, or choose another port with --port N"
                    : "port " + port + " (the HTTP redirect) is in use by another program: stop it, choose another port with "
                    + "--http-port N, or go without the redirect with --http-port off";
        }
        return rootMessage(failure);
    }

    private static OptionalInt busyPort(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 20; depth++, cause = cause.getCause()) {
            if (cause instanceof PortInUseException portInUse) {
                return OptionalInt.of(portInUse.getPort());
            }
            if (cause instanceof ConnectorStartFailedException connector) {
                return OptionalInt.of(connector.getPort());
            }
        }
        return OptionalInt.empty();
    }

    /** The innermost message of a failure, for the one line a failed start prints. */
    public static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        String message = failure.getClass().getSimpleName();
        int depth = 0;
        while (cause != null && depth++ < 20) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
            cause = cause.getCause();
        }
        return message.lines().findFirst().orElse(message);
    }
}
