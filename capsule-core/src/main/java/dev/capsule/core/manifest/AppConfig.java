package dev.capsule.core.manifest;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The parts of WeChat's app.json that Capsule relies on: the page list (first page is the entry
 * page) and the tab bar's pages. Other WeChat fields are tolerated, since app.json is WeChat's file;
 * features Capsule does not provide (sub-packages, plugins, workers) are rejected rather than ignored,
 * so a package never relies on something that is silently absent.
 */
public record AppConfig(List<String> pages, List<String> tabBarPages) {
    public static final String FILE_NAME = "app.json";
    public static final String APP_SCRIPT = "app.js";
    public static final int FILE_BYTES_MAX = 256 * 1024;
    static final int PAGES_MAX = 200;
    static final int TAB_BAR_ITEMS_MAX = 5;
    /** WeChat page paths: "pages/index/index", no leading slash, no extension. */
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Set<String> UNSUPPORTED = Set.of("subpackages", "subPackages", "plugins", "workers");

    public AppConfig {
        pages = List.copyOf(pages);
        tabBarPages = List.copyOf(tabBarPages);
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("an app has at least one page");
        }
    }

    /** The page shown first. */
    public String entryPage() {
        return pages.getFirst();
    }

    /**
     * Parses app.json and checks that every page has its script.
     *
     * @param fileExists tells whether a package path exists, for the "each page has its .js" rule
     */
    public static AppConfig parse(byte[] json, Predicate<String> fileExists) throws ManifestException {
        try {
            JsonObject root = StrictJson.parseObject(json, FILE_NAME, FILE_BYTES_MAX);
            for (String field : UNSUPPORTED) {
                if (root.has(field)) {
                    throw root.at(field, "not supported by Capsule; put every page in 'pages'");
                }
            }
            List<String> pageList = root.optionalStrings("pages", PAGES_MAX);
            if (pageList.isEmpty()) {
                throw root.at("pages", "must list at least one page");
            }
            Set<String> pages = new LinkedHashSet<>();
            for (int i = 0; i < pageList.size(); i++) {
                String page = pageList.get(i);
                String where = "pages[" + i + "]";
                if (!PAGE.matcher(page).matches()) {
                    throw root.at(where, "'" + page + "' must be a page path like pages/index/index (no leading slash, no extension, no '..')");
                }
                if (!pages.add(page)) {
                    throw root.at(where, "'" + page + "' is listed twice");
                }
                if (!fileExists.test(page + ".js")) {
                    throw root.at(where, "page '" + page + "' has no " + page + ".js");
                }
            }
            if (root.has("entryPagePath")) {
                String entry = root.requireString("entryPagePath");
                if (!pages.contains(entry)) {
                    throw root.at("entryPagePath", "'" + entry + "' is not in 'pages'");
                }
                pages.remove(entry);
                List<String> ordered = new ArrayList<>();
                ordered.add(entry);
                ordered.addAll(pages);
                pages = new LinkedHashSet<>(ordered);
            }
            if (!fileExists.test(APP_SCRIPT)) {
                throw new JsonFormatException(FILE_NAME + ": the package has no " + APP_SCRIPT);
            }
            return new AppConfig(List.copyOf(pages), tabBarPages(root, pages));
        } catch (JsonFormatException e) {
            throw new ManifestException(e.getMessage());
        }
    }

    private static List<String> tabBarPages(JsonObject root, Set<String> pages) throws JsonFormatException {
        JsonObject tabBar = root.optionalObject("tabBar");
        if (tabBar == null) {
            return List.of();
        }
        List<JsonNode> items = tabBar.requireArray("list", TAB_BAR_ITEMS_MAX);
        List<String> tabPages = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), tabBar, "list", i);
            String page = item.requireString("pagePath");
            if (!pages.contains(page)) {
                throw item.at(item.child("pagePath"), "'" + page + "' is not in 'pages'");
            }
            tabPages.add(page);
        }
        return tabPages;
    }
}
