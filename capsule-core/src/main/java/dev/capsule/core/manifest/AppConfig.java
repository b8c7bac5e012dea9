package dev.capsule.core.manifest;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The parts of WeChat's app.json that Capsule relies on: the main package's pages, the subpackages
 * and their pages, the entry page, the tab bar's pages and the declared plugins. Other WeChat fields
 * are tolerated, since app.json is WeChat's file. {@code preloadRule} is validated as WeChat's tools
 * do and otherwise inert (Capsule installs a package whole). {@code plugins} are accepted with a
 * warning: Capsule runs no plugin code, so a page or component that uses one fails where it is used.
 * {@code workers} (WeChat's worker-script folder: a string, or {@code {"path": …, "isSubpackage": …}})
 * is accepted with a warning too: a session is one sandboxed event loop with no threads, so
 * {@code wx.createWorker} is absent by decision and code that starts a worker fails where it calls it.
 *
 * @param entryPage the page shown first: {@code entryPagePath}, else the first of {@code pages}
 * @param mainPages the main package's pages, entry first when it is one of them
 * @param subpackages the subpackages in app.json order
 * @param tabBarPages the tab bar's pages (main-package pages, as WeChat requires)
 * @param plugins the plugins app.json and its subpackages declare (none of them runs)
 * @param warnings one-line notes for the developer about accepted but inert features
 */
public record AppConfig(String entryPage, List<String> mainPages, List<Subpackage> subpackages, List<String> tabBarPages,
        List<Plugin> plugins, List<String> warnings) {
    public static final String FILE_NAME = "app.json";
    public static final String APP_SCRIPT = "app.js";
    public static final int FILE_BYTES_MAX = 256 * 1024;
    /** The name {@code preloadRule} uses for the main package. */
    public static final String MAIN_PACKAGE_ALIAS = "__APP__";
    static final int PAGES_MAX = 200;
    static final int SUBPACKAGES_MAX = 100;
    static final int TAB_BAR_ITEMS_MAX = 5;
    static final int PLUGINS_MAX = 50;
    /** WeChat's worker folder is a short relative path; anything longer is not one. */
    static final int WORKERS_PATH_CHARS_MAX = 256;
    static final int PRELOAD_RULES_MAX = 200;
    /** WeChat page paths: "pages/index/index", no leading slash, no extension. Roots are folder paths of the same shape. */
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern PLUGIN_ALIAS = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    private static final Set<String> NETWORKS = Set.of("all", "wifi");

    /** A plugin app.json declares: {@code "plugins": {"alias": {"provider": "wx…", "version": "1.0.0"}}}. */
    public record Plugin(String alias, String provider, String version) {
        public Plugin {
            if (alias.isEmpty() || provider.isEmpty() || version.isEmpty()) {
                throw new IllegalArgumentException("a plugin has an alias, a provider and a version");
            }
        }
    }

    /**
     * A subpackage: the files under {@code root/} belong to it.
     *
     * @param name its name ({@code name} in app.json, else its root)
     * @param root its folder, without a trailing slash
     * @param pages its pages as full routes ({@code root/page}); none for a subpackage of components and scripts only
     * @param independent whether it launches without the main package (WeChat's independent subpackage)
     */
    public record Subpackage(String name, String root, List<String> pages, boolean independent) {
        public Subpackage {
            pages = List.copyOf(pages);
            if (!PAGE.matcher(root).matches()) {
                throw new IllegalArgumentException("a subpackage root is a folder path like 'shop' or 'packages/shop'");
            }
            if (name.isEmpty() || name.codePoints().anyMatch(SafeText::isUnsafe)) {
                throw new IllegalArgumentException("a subpackage has a printable name");
            }
            for (String page : pages) {
                if (!page.startsWith(root + "/")) {
                    throw new IllegalArgumentException("page '" + page + "' is not under the subpackage root '" + root + "'");
                }
            }
        }

        /** Whether a package path (a file or a route) lies under this subpackage's root. */
        public boolean contains(String packagePath) {
            return packagePath.startsWith(root + "/");
        }

        /** How messages name it: {@code subpackage 'shop' (shop/)}. */
        public String label() {
            return "subpackage '" + name + "' (" + root + "/)";
        }
    }

    public AppConfig {
        mainPages = List.copyOf(mainPages);
        subpackages = List.copyOf(subpackages);
        tabBarPages = List.copyOf(tabBarPages);
        plugins = List.copyOf(plugins);
        warnings = List.copyOf(warnings);
        if (mainPages.isEmpty()) {
            throw new IllegalArgumentException("an app has at least one page in its main package");
        }
        if (!mainPages.contains(entryPage) && subpackages.stream().noneMatch(s -> s.pages().contains(entryPage))) {
            throw new IllegalArgumentException("the entry page '" + entryPage + "' is not one of the app's pages");
        }
        if (!mainPages.containsAll(tabBarPages)) {
            throw new IllegalArgumentException("tab bar pages are main-package pages");
        }
    }

    /** Every routable page as a full route: the entry page first, then the main pages, then each subpackage's. */
    public List<String> pages() {
        Set<String> all = new LinkedHashSet<>();
        all.add(entryPage);
        all.addAll(mainPages);
        subpackages.forEach(s -> all.addAll(s.pages()));
        return List.copyOf(all);
    }

    /** The subpackage a package path (file or route) belongs to; empty means the main package. */
    public Optional<Subpackage> packageOf(String packagePath) {
        return subpackages.stream().filter(s -> s.contains(packagePath)).findFirst();
    }

    /**
     * Parses app.json and checks that every page has its script.
     *
     * @param fileExists tells whether a package path exists, for the "each page has its .js" rule
     */
    public static AppConfig parse(byte[] json, Predicate<String> fileExists) throws ManifestException {
        try {
            JsonObject root = StrictJson.parseObject(json, FILE_NAME, FILE_BYTES_MAX);
            List<String> mainPages = mainPages(root, fileExists);
            List<Subpackage> subpackages = SubpackageRules.parse(root, mainPages, fileExists);
            Set<String> allPages = new LinkedHashSet<>(mainPages);
            subpackages.forEach(s -> allPages.addAll(s.pages()));
            String entry = mainPages.getFirst();
            if (root.has("entryPagePath")) {
                entry = root.requireString("entryPagePath");
                if (!allPages.contains(entry)) {
                    throw root.at("entryPagePath", quoted(entry) + " is not a page of the app (not in 'pages' nor in a subpackage)");
                }
                if (mainPages.contains(entry)) {
                    List<String> ordered = new ArrayList<>(mainPages);
                    ordered.remove(entry);
                    ordered.addFirst(entry);
                    mainPages = ordered;
                }
            }
            if (!fileExists.test(APP_SCRIPT)) {
                throw new JsonFormatException(FILE_NAME + ": the package has no " + APP_SCRIPT);
            }
            List<String> tabBarPages = tabBarPages(root, mainPages, allPages);
            preloadRules(root, allPages, subpackages);
            List<Plugin> plugins = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            plugins(root, plugins, warnings);
            SubpackageRules.plugins(root, plugins, warnings);
            workers(root, warnings);
            return new AppConfig(entry, mainPages, subpackages, tabBarPages, plugins, warnings);
        } catch (JsonFormatException e) {
            throw new ManifestException(e.getMessage());
        }
    }

    private static List<String> mainPages(JsonObject root, Predicate<String> fileExists) throws JsonFormatException {
        List<String> pageList = root.optionalStrings("pages", PAGES_MAX);
        if (pageList.isEmpty()) {
            throw root.at("pages", "must list at least one page");
        }
        return pageList(root, "pages", pageList, "", fileExists);
    }

    /**
     * Checks a page list: page-path shape, no duplicates, each page's script present.
     *
     * @param prefix the subpackage root and a slash, or "" for the main package
     */
    static List<String> pageList(JsonObject owner, String field, List<String> pageList, String prefix, Predicate<String> fileExists)
            throws JsonFormatException {
        Set<String> pages = new LinkedHashSet<>();
        for (int i = 0; i < pageList.size(); i++) {
            String page = pageList.get(i);
            String where = owner.child(field) + "[" + i + "]";
            if (!PAGE.matcher(page).matches()) {
                throw owner.at(where, quoted(page) + " must be a page path like pages/index/index (no leading slash, no extension, no '..')"
                        + (prefix.isEmpty() ? "" : ", relative to the subpackage root"));
            }
            String route = prefix + page;
            if (!pages.add(route)) {
                throw owner.at(where, "'" + page + "' is listed twice");
            }
            if (!fileExists.test(route + ".js")) {
                throw owner.at(where, "page '" + route + "' has no " + route + ".js");
            }
        }
        return List.copyOf(pages);
    }

    /** A value from app.json, quoted and escaped for a one-line message. */
    static String quoted(String value) {
        return "'" + SafeText.escape(value) + "'";
    }

    static boolean isFolderPath(String path) {
        return PAGE.matcher(path).matches();
    }

    private static List<String> tabBarPages(JsonObject root, List<String> mainPages, Set<String> allPages) throws JsonFormatException {
        JsonObject tabBar = root.optionalObject("tabBar");
        if (tabBar == null) {
            return List.of();
        }
        List<JsonNode> items = tabBar.requireArray("list", TAB_BAR_ITEMS_MAX);
        List<String> tabPages = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), tabBar, "list", i);
            String page = item.requireString("pagePath");
            if (!mainPages.contains(page)) {
                throw item.at(item.child("pagePath"), quoted(page) + " " + (allPages.contains(page)
                        ? "is a subpackage page; tab bar pages must be in the main package ('pages')"
                        : "is not in 'pages'"));
            }
            tabPages.add(page);
        }
        return tabPages;
    }

    /** preloadRule: {"route": {"network": "all"|"wifi", "packages": [root, name or "__APP__", …]}}. Validated, otherwise inert. */
    private static void preloadRules(JsonObject root, Set<String> allPages, List<Subpackage> subpackages) throws JsonFormatException {
        JsonObject rules = root.optionalObject("preloadRule");
        if (rules == null) {
            return;
        }
        List<String> routes = rules.fieldNames();
        if (routes.size() > PRELOAD_RULES_MAX) {
            throw root.at("preloadRule", "more than " + PRELOAD_RULES_MAX + " rules");
        }
        Set<String> packageNames = new HashSet<>();
        packageNames.add(MAIN_PACKAGE_ALIAS);
        for (Subpackage s : subpackages) {
            packageNames.add(s.root());
            packageNames.add(s.name());
        }
        for (String route : routes) {
            if (!allPages.contains(route)) {
                throw root.at("preloadRule", quoted(route) + " is not a page of the app; preloadRule keys are page routes");
            }
            JsonObject rule = rules.requireObject(route);
            if (rule.has("network")) {
                String network = rule.requireString("network");
                if (!NETWORKS.contains(network)) {
                    throw rule.at(rule.child("network"), quoted(network) + " must be \"all\" or \"wifi\"");
                }
            }
            List<String> packages = rule.optionalStrings("packages", SUBPACKAGES_MAX + 1);
            if (packages.isEmpty()) {
                throw rule.at(rule.child("packages"), "must name at least one subpackage (its root or name, or \"" + MAIN_PACKAGE_ALIAS + "\")");
            }
            for (int i = 0; i < packages.size(); i++) {
                String name = packages.get(i);
                String normalized = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                if (!packageNames.contains(normalized)) {
                    throw rule.at(rule.child("packages") + "[" + i + "]",
                            quoted(name) + " names no subpackage (use a subpackage's root or name, or \"" + MAIN_PACKAGE_ALIAS + "\")");
                }
            }
        }
    }

    /** Checks {@code workers} (a folder, in either of WeChat's shapes) and notes that no worker runs. */
    private static void workers(JsonObject root, List<String> warnings) throws JsonFormatException {
        if (!root.has("workers")) {
            return;
        }
        String folder;
        if (root.isString("workers")) {
            folder = root.requireString("workers");
        } else {
            JsonObject workers = root.requireObject("workers");
            workers.rejectUnknownFields(Set.of("path", "isSubpackage"));
            folder = workers.requireString("path");
            if (workers.has("isSubpackage")) {
                workers.requireBoolean("isSubpackage");
            }
        }
        if (folder.isEmpty() || folder.length() > WORKERS_PATH_CHARS_MAX) {
            throw root.at("workers", "must name a folder of 1 to " + WORKERS_PATH_CHARS_MAX + " characters");
        }
        warnings.add(FILE_NAME + ": workers: folder " + quoted(folder) + " is accepted, but Capsule runs no workers (each mini-program is one "
                + "sandboxed event loop, no threads): wx.createWorker is absent");
    }

    /** Reads a {@code plugins} object on {@code owner} (app.json's root or one subpackage). */
    static void plugins(JsonObject owner, List<Plugin> plugins, List<String> warnings) throws JsonFormatException {
        JsonObject declared = owner.optionalObject("plugins");
        if (declared == null) {
            return;
        }
        for (String alias : declared.fieldNames()) {
            if (plugins.size() >= PLUGINS_MAX) {
                throw declared.error("more than " + PLUGINS_MAX + " plugins");
            }
            if (!PLUGIN_ALIAS.matcher(alias).matches()) {
                throw declared.error(quoted(alias) + " is not a plugin alias (letters, digits, '_', '$' or '-', at most 64)");
            }
            JsonObject plugin = declared.requireObject(alias);
            String provider = plugin.requireString("provider");
            String version = plugin.requireString("version");
            if (provider.isEmpty() || version.isEmpty()) {
                throw plugin.error("a plugin needs a non-empty provider and version");
            }
            plugins.add(new Plugin(alias, provider, version));
            warnings.add(FILE_NAME + ": " + SafeText.escape(plugin.path()) + ": plugin " + quoted(alias) + " (" + SafeText.escape(provider)
                    + ") is accepted, but Capsule runs no plugins: a page or component that uses plugin://" + SafeText.escape(alias) + "/ fails there");
        }
    }
}
