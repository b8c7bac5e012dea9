package dev.capsule.server.platform.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Printing JDBC URLs without the secrets they may carry, and reading what they say about the connection. */
final class JdbcUrls {
    /** {@code sslmode} values with which the PostgreSQL driver refuses a connection without TLS. */
    private static final java.util.Set<String> TLS_MODES = java.util.Set.of("require", "verify-ca", "verify-full");

    private JdbcUrls() {
    }

    /**
     * The URL up to its parameters ({@code jdbc:postgresql://host:5432/db}); parameters such as
     * {@code password=} and any {@code user:password@} part are dropped.
     */
    static String redact(String url) {
        if (url == null || url.isBlank()) {
            return "none";
        }
        String withoutQuery = url.split("[?;]", 2)[0];
        int scheme = withoutQuery.indexOf("//");
        int at = withoutQuery.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            withoutQuery = withoutQuery.substring(0, scheme + 2) + withoutQuery.substring(at + 1);
        }
        return withoutQuery;
    }

    /**
     * Where a PostgreSQL JDBC URL points, without credentials or parameters: {@code HOST:PORT/DATABASE} (the driver's
     * defaults filled in: localhost, 5432), several hosts joined by commas as the URL gives them.
     */
    static String location(String url) {
        String rest = redact(url);
        String prefix = "jdbc:postgresql:";
        if (!rest.startsWith(prefix)) {
            return rest;
        }
        rest = rest.substring(prefix.length());
        if (!rest.startsWith("//")) {
            return "localhost:5432/" + rest;
        }
        String[] parts = rest.substring(2).split("/", 2);
        String database = parts.length > 1 ? parts[1] : "";
        List<String> hosts = new ArrayList<>();
        for (String hostPort : (parts[0].isEmpty() ? "localhost" : parts[0]).split(",")) {
            boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
            hosts.add(hasPort ? hostPort : hostPort + ":5432");
        }
        return String.join(",", hosts) + "/" + database;
    }

    /** Whether the URL makes the driver refuse a connection without TLS ({@code sslmode=require}, {@code verify-ca}, {@code verify-full}). */
    static boolean tlsRequired(String url) {
        String[] parts = url.split("\\?", 2);
        if (parts.length < 2) {
            return false;
        }
        for (String parameter : parts[1].split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && pair[0].equals("sslmode") && TLS_MODES.contains(pair[1].toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every host the URL names is on this machine's loopback interface ({@code isLoopback} decides
     * for a name); a URL without a host ({@code jdbc:postgresql:db}) means localhost.
     */
    static boolean loopback(String url, Predicate<String> isLoopback) {
        String rest = redact(url);
        int scheme = rest.indexOf("//");
        if (scheme < 0) {
            return true;
        }
        String authority = rest.substring(scheme + 2).split("/", 2)[0];
        if (authority.isEmpty()) {
            return true;
        }
        // Several hosts (failover): host1:5432,host2:5432; IPv6 as [::1]:5432.
        for (String hostPort : authority.split(",")) {
            String host = hostPort.startsWith("[") ? hostPort.substring(1, Math.max(1, hostPort.indexOf(']')))
                    : hostPort.split(":", 2)[0];
            if (!isLoopback.test(host)) {
                return false;
            }
        }
        return true;
    }
}
