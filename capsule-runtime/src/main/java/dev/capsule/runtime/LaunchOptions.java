package dev.capsule.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a session starts, as WeChat's launch options: the page path (null: app.json's entry page), its
 * query and the scene. The guest sees them in {@code App.onLaunch(options)}, {@code App.onShow} and
 * {@code wx.getLaunchOptionsSync()}/{@code getEnterOptionsSync()}. A path that names no page of the app
 * runs {@code App.onPageNotFound} (docs/runtime.md, "Launch"); a path of an independent subpackage
 * starts that subpackage without the main package's app.js, as WeChat does.
 *
 * <p>Security guarantees: the values are checked here (length, characters, counts) before a session
 * exists; they are data the guest reads, never a file path of the host.
 *
 * @param path the page route without a leading slash, or null for app.json's entry page
 * @param query the launch query (keys and values as decoded text), kept sorted by key
 * @param scene WeChat's scene value, {@link #SCENE_MIN}–{@link #SCENE_MAX}; {@link #SCENE_HEADLESS} unless the host knows better
 */
public record LaunchOptions(String path, Map<String, String> query, int scene) {
    /** Longest page path, in characters. */
    public static final int PATH_CHARS_MAX = 1024;
    /** Most query entries. */
    public static final int QUERY_ENTRIES_MAX = 64;
    /** Longest query key, in characters. */
    public static final int QUERY_KEY_CHARS_MAX = 128;
    /** Longest query value, in characters. */
    public static final int QUERY_VALUE_CHARS_MAX = 4096;
    /** WeChat's scene values are four digits. */
    public static final int SCENE_MIN = 1000;
    public static final int SCENE_MAX = 9999;
    /**
     * The scene of a launch that names none: 1001, WeChat's "main entry" (the mini-program list), the
     * plainest way a user opens an app. Fixed for headless runs so that event streams compare.
     */
    public static final int SCENE_HEADLESS = 1001;

    /** app.json's entry page, no query, {@link #SCENE_HEADLESS}. */
    public static final LaunchOptions DEFAULT = new LaunchOptions(null, Map.of(), SCENE_HEADLESS);

    public LaunchOptions {
        Objects.requireNonNull(query, "query");
        if (path != null) {
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (path.isEmpty() || path.length() > PATH_CHARS_MAX) {
                throw new IllegalArgumentException("launch path must be 1-" + PATH_CHARS_MAX + " characters");
            }
            if (!printable(path) || path.indexOf('?') >= 0 || path.indexOf('#') >= 0 || path.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("launch path must be printable text without '?', '#' or '\\'");
            }
        }
        if (query.size() > QUERY_ENTRIES_MAX) {
            throw new IllegalArgumentException("launch query has more than " + QUERY_ENTRIES_MAX + " entries");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "query key"), v = Objects.requireNonNull(e.getValue(), "query value");
            if (k.isEmpty() || k.length() > QUERY_KEY_CHARS_MAX || !printable(k)) {
                throw new IllegalArgumentException("launch query key must be 1-" + QUERY_KEY_CHARS_MAX + " printable characters");
            }
            if (v.length() > QUERY_VALUE_CHARS_MAX || !printable(v)) {
                throw new IllegalArgumentException("launch query value of '" + k + "' must be at most " + QUERY_VALUE_CHARS_MAX
                        + " printable characters");
            }
            copy.put(k, v);
        }
        query = Collections.unmodifiableSortedMap(copy);
        if (scene < SCENE_MIN || scene > SCENE_MAX) {
            throw new IllegalArgumentException("scene must be " + SCENE_MIN + "-" + SCENE_MAX);
        }
    }

    /**
     * Parses {@code page/path?key=value&…} (a leading slash is allowed; keys and values are URL-decoded,
     * as WeChat decodes a page's query) with {@link #SCENE_HEADLESS}.
     *
     * @throws IllegalArgumentException naming what is wrong, in one line
     */
    public static LaunchOptions parse(String pathAndQuery) {
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        TreeMap<String, String> query = new TreeMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("launch query is not URL-encoded: " + e.getMessage());
                }
                if (query.size() > QUERY_ENTRIES_MAX) {
                    throw new IllegalArgumentException("launch query has more than " + QUERY_ENTRIES_MAX + " entries");
                }
            }
        }
        return new LaunchOptions(path, query, SCENE_HEADLESS);
    }

    /** The same launch with another scene. */
    public LaunchOptions withScene(int scene) {
        return new LaunchOptions(path, query, scene);
    }

    private static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE);
    }
}
