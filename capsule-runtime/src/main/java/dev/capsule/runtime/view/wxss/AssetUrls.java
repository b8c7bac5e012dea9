package dev.capsule.runtime.view.wxss;

import dev.capsule.core.manifest.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@code url()} in WXSS may name: a package file (resolved against the stylesheet that
 * contains it), an {@code https://} URL on the host allowlist, or an inline {@code data:} image. Everything
 * else is {@link Dropped}.
 */
final class AssetUrls {
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    /** WeChat's own rule pushes image backgrounds to base64: inline raster images stay allowed. */
    private static final Pattern DATA_IMAGE =
            Pattern.compile("data:image/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATA_FONT = Pattern.compile(
            "data:(font/(woff2?|ttf|otf|sfnt)|application/(font-woff2?|x-font-woff|x-font-ttf|font-sfnt|x-font-opentype|octet-stream));base64,[A-Za-z0-9+/]*={0,2}",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> ASSET_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "woff", "woff2", "ttf", "otf", "eot");

    private final Map<String, byte[]> files;
    private final Set<HostName> httpsHosts;

    AssetUrls(Map<String, byte[]> files, Set<HostName> httpsHosts) {
        this.files = files;
        this.httpsHosts = Set.copyOf(httpsHosts);
    }

    /**
     * @param raw the URL as the parser read it (quotes and escapes resolved)
     * @param fromFile the package path of the file it was written in
     * @param fontSource whether it is an {@code @font-face} source (package files and inline fonts only)
     */
    CssPiece resolve(String raw, String fromFile, boolean fontSource) throws Dropped {
        String url = raw.strip();
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            String compact = url.replaceAll("\\s", "");
            if ((fontSource ? DATA_FONT : DATA_IMAGE).matcher(compact).matches()) {
                return new CssPiece.Text("url(" + Text.cssString(compact) + ")");
            }
            throw new Dropped("url() with a data: URL that is not an inline base64 " + (fontSource ? "font" : "raster image"));
        }
        if (SCHEME.matcher(url).find() || url.startsWith("//") || url.startsWith("\\\\")) {
            if (fontSource) {
                throw new Dropped("@font-face source outside the package: " + Text.quote(url));
            }
            return remote(url);
        }
        return new CssPiece.Asset(packagePath(url, fromFile));
    }

    private CssPiece remote(String url) throws Dropped {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Dropped("url() is not a valid URL: " + Text.quote(url));
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Dropped("url() to " + Text.quote(url) + ": only package assets and https:// URLs on the image host allowlist");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() < 0 ? HostName.DEFAULT_PORT : uri.getPort();
        if (httpsHosts.stream().noneMatch(h -> h.host().equals(host) && h.port() == port)) {
            throw new Dropped("url() to host " + Text.quote(host) + ", which is not on the image host allowlist");
        }
        try {
            URI clean = new URI("https", null, host, uri.getPort(), uri.getPath(), uri.getQuery(), null);
            return new CssPiece.Text("url(" + Text.cssString(clean.toASCIIString()) + ")");
        } catch (URISyntaxException e) {
            throw new Dropped("url() is not a valid URL: " + Text.quote(url));
        }
    }

    /** A package-relative or root-absolute path, normalized; the file must exist and be an image or font. */
    String packagePath(String url, String fromFile) throws Dropped {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        if (path.isEmpty()) {
            throw new Dropped("empty url()");
        }
        String base = path.startsWith("/") ? "" : directoryOf(fromFile);
        String normalized = normalize(base + path);
        if (normalized == null) {
            throw new Dropped("url() " + Text.quote(url) + " leaves the package");
        }
        int dot = normalized.lastIndexOf('.');
        String ext = dot < 0 ? "" : normalized.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!ASSET_EXTENSIONS.contains(ext)) {
            throw new Dropped("url() " + Text.quote(url) + " is not an image or font file");
        }
        if (!files.containsKey(normalized)) {
            throw new Dropped("url() " + Text.quote(url) + " names " + Text.quote(normalized) + ", which is not in the package");
        }
        return normalized;
    }

    static String directoryOf(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash + 1);
    }

    /** {@code a/./b/../c} → {@code a/c}; null when {@code ..} climbs above the package root. */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }
}
