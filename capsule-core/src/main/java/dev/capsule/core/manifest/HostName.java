package dev.capsule.core.manifest;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An exact network host from capsule.json, optionally with a port: {@code api.example.com} or
 * {@code api.example.com:8443}. No scheme, path, user info, wildcard, IP literal or local name, so
 * that an allowlist entry can mean only one public host.
 */
public record HostName(String host, int port) {
    /** The port when none is written: HTTPS and WSS. */
    public static final int DEFAULT_PORT = 443;
    private static final int NAME_CHARS_MAX = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    /** Top-level names that never denote a public Internet host, or commonly resolve inside networks. */
    private static final Set<String> SPECIAL_USE_TLDS =
            Set.of("local", "localdomain", "internal", "arpa", "test", "invalid", "onion", "lan", "home", "corp", "intranet", "private");

    public HostName {
        String problem = problemWith(host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
    }

    /**
     * Parses an allowlist entry.
     *
     * @throws IllegalArgumentException with the specific rule the entry breaks
     */
    public static HostName parse(String entry) {
        if (entry.contains("://")) {
            throw new IllegalArgumentException("must be a host name, not a URL (remove the scheme)");
        }
        if (entry.contains("*")) {
            throw new IllegalArgumentException("wildcards are not allowed: list each exact host");
        }
        if (entry.contains("/") || entry.contains("?") || entry.contains("#")) {
            throw new IllegalArgumentException("must be a host name without a path");
        }
        if (entry.contains("@")) {
            throw new IllegalArgumentException("must be a host name without user info");
        }
        if (entry.startsWith("[") || entry.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("IP literals are not allowed: use a host name");
        }
        int colon = entry.indexOf(':');
        if (colon < 0) {
            return new HostName(entry, DEFAULT_PORT);
        }
        String port = entry.substring(colon + 1);
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("bad port '" + port + "': must be a number from 1 to 65535");
        }
        return new HostName(entry.substring(0, colon), Integer.parseInt(port));
    }

    private static String problemWith(String host) {
        if (host == null || host.isEmpty()) {
            return "host name is empty";
        }
        if (!host.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return "host name must be ASCII without spaces (write internationalized names in their xn-- form)";
        }
        if (!host.equals(host.toLowerCase(Locale.ROOT))) {
            return "host name must be lower case";
        }
        if (host.endsWith(".")) {
            return "host name must not end with a dot";
        }
        if (host.length() > NAME_CHARS_MAX) {
            return "host name longer than " + NAME_CHARS_MAX + " characters";
        }
        String[] labels = host.split("\\.", -1);
        String last = labels[labels.length - 1];
        // Resolvers read a name whose last label is numeric (decimal, or 0x hex) as an IPv4 address:
        // 127.1, 0x7f.0.0.1 and 2130706433 all mean loopback.
        if (last.matches("[0-9]+|0x[0-9a-f]*")) {
            return "IP literals are not allowed: use a host name";
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.localdomain")) {
            return "localhost is not allowed";
        }
        if (SPECIAL_USE_TLDS.contains(last)) {
            return "'." + last + "' names are internal or special-use (RFC 6761, RFC 6762, RFC 8375): use a public host name";
        }
        if (labels.length < 2) {
            return "must be a fully qualified host name (a single-label name can resolve to an internal host)";
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "'" + label + "' is not a valid host name label (letters, digits and inner hyphens, 1-63 characters)";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return port == DEFAULT_PORT ? host : host + ":" + port;
    }
}
