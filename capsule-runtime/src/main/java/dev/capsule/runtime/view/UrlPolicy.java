package dev.capsule.runtime.view;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs a view may name: package assets, and {@code https://} URLs to hosts the launch allowlisted
 * for images. Nothing else: no {@code javascript:}, {@code data:}, {@code vbscript:}, {@code http:},
 * protocol-relative or relative-with-scheme forms.
 *
 * <p>Security guarantees: {@link #image} accepts a value only when it is a normalized absolute package
 * path ({@code /images/a.png}: segments of {@code [A-Za-z0-9._@~+-]}, no {@code .} or {@code ..}
 * segment, no query or fragment) or an {@code https://} URL whose host is exactly one of
 * {@link #imageHosts()} (lower case, no user info, no port other than 443, printable ASCII only); any
 * other value is refused, whatever its case, whitespace or escapes.
 *
 * @param imageHosts host names (exact, lower case) that {@code https://} images may come from
 */
public record UrlPolicy(Set<String> imageHosts) {
    /** Package assets only. */
    public static final UrlPolicy PACKAGE_ONLY = new UrlPolicy(Set.of());
    /** Characters of one URL or path. */
    public static final int URL_CHARS_MAX = 2_048;

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@~+\\-][A-Za-z0-9._@~+\\-]*");
    private static final Pattern HTTPS = Pattern.compile("https://([a-z0-9.-]+)(:443)?(/[A-Za-z0-9._~!$&'()*+,;=:@%/?\\-]*)?");

    public UrlPolicy {
        imageHosts = Set.copyOf(imageHosts);
        for (String host : imageHosts) {
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("image host must be a lower-case DNS name: " + ViewOpException.quote(host));
            }
        }
    }

    /** What an accepted image reference points to. */
    public sealed interface Target {
        /** A package file, path without the leading slash ({@code images/a.png}). */
        record PackageAsset(String path) implements Target {}

        /** An {@code https://} URL to an allowlisted host. */
        record Https(String url) implements Target {}
    }

    /** The target of an image reference, or empty when the policy refuses it. */
    public Optional<Target> image(String value) {
        if (value == null || value.isEmpty() || value.length() > URL_CHARS_MAX) {
            return Optional.empty();
        }
        if (value.startsWith("/") && !value.startsWith("//")) {
            return packagePath(value.substring(1)).map(Target.PackageAsset::new);
        }
        var https = HTTPS.matcher(value);
        if (https.matches() && imageHosts.contains(https.group(1))) {
            return Optional.of(new Target.Https(value));
        }
        return Optional.empty();
    }

    /**
     * A reference in a template resolved against the template's package path ({@code pages/a/a.wxml}):
     * absolute ({@code /x.png}) or relative ({@code ../x.png}, {@code x.png}), giving the absolute form
     * {@link #image} accepts; URLs with a scheme are returned unchanged for {@link #image} to judge.
     * Empty when the reference climbs above the package root or has a malformed segment.
     */
    public static Optional<String> resolve(String fromFile, String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > URL_CHARS_MAX) {
            return Optional.empty();
        }
        if (reference.toLowerCase(Locale.ROOT).startsWith("https://")) {
            return Optional.of(reference);
        }
        if (reference.indexOf(':') >= 0 || reference.startsWith("//") || reference.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        var parts = new java.util.ArrayDeque<String>();
        if (!reference.startsWith("/")) {
            String[] base = fromFile.split("/");
            for (int i = 0; i < base.length - 1; i++) {
                if (!base[i].isEmpty()) {
                    parts.addLast(base[i]);
                }
            }
        }
        for (String segment : reference.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(segment);
            }
        }
        String joined = String.join("/", parts);
        return packagePath(joined).map(p -> "/" + p);
    }

    private static Optional<String> packagePath(String path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }
}
