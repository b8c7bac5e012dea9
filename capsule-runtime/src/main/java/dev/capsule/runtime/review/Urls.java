package dev.capsule.runtime.review;

import dev.capsule.core.manifest.HostName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds absolute http(s)/ws(s) URLs in a string and judges them against capsule.json's network lists. */
final class Urls {
    private static final Pattern URL = Pattern.compile("(?i)\\b(https?|wss?)://([^/?#\\s\"'<>`\\\\]*)");
    /** URLs judged per string at most (a string of a thousand URLs is a table, and gives a few findings). */
    static final int PER_STRING_MAX = 20;

    private Urls() {}

    /** A URL found: its text (up to the authority), scheme (lower case) and authority. */
    record Found(String text, String scheme, String authority) {}

    enum Verdict { ALLOWED, INSECURE, NOT_ALLOWED }

    /** The URLs with a non-empty authority in {@code text} ({@code "https://" + host} is not one). */
    static List<Found> find(String text) {
        if (text.indexOf("://") < 0) {
            return List.of();
        }
        List<Found> found = new ArrayList<>();
        Matcher m = URL.matcher(text);
        while (m.find() && found.size() < PER_STRING_MAX) {
            if (!m.group(2).isEmpty()) {
                found.add(new Found(m.group(), m.group(1).toLowerCase(Locale.ROOT), m.group(2)));
            }
        }
        return found;
    }

    /** Plain http/ws is insecure; https/wss is allowed if host and port are in {@code allowed}. */
    static Verdict judge(Found url, Set<HostName> allowed) {
        if (url.scheme().equals("http") || url.scheme().equals("ws")) {
            return Verdict.INSECURE;
        }
        String authority = url.authority();
        authority = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        String host = authority;
        int port = HostName.DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return Verdict.NOT_ALLOWED;
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (HostName h : allowed) {
            if (h.host().equals(host) && h.port() == port) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.NOT_ALLOWED;
    }
}
