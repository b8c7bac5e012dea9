package dev.capsule.core.manifest;

import static dev.capsule.core.manifest.AppConfig.quoted;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.manifest.AppConfig.Plugin;
import dev.capsule.core.manifest.AppConfig.Subpackage;
import dev.capsule.core.text.SafeText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * app.json's {@code subpackages} (or WeChat's older spelling {@code subPackages}), checked as WeChat's
 * tools check them: each root is a folder path, unique, neither inside another root nor holding a
 * main-package page; pages are relative to their root and each has its script; names are unique.
 */
final class SubpackageRules {
    static final String FIELD = "subpackages";
    static final String OLD_FIELD = "subPackages";
    /** A subpackage name is an alias that messages quote: short and printable. */
    static final int NAME_CHARS_MAX = 100;

    private SubpackageRules() {}

    static List<Subpackage> parse(JsonObject root, List<String> mainPages, Predicate<String> fileExists) throws JsonFormatException {
        if (root.has(FIELD) && root.has(OLD_FIELD)) {
            throw root.at(OLD_FIELD, "app.json has both '" + FIELD + "' and '" + OLD_FIELD + "'; use one of them");
        }
        String field = root.has(OLD_FIELD) ? OLD_FIELD : FIELD;
        List<JsonNode> items = root.optionalArray(field, AppConfig.SUBPACKAGES_MAX);
        List<Subpackage> subpackages = new ArrayList<>(items.size());
        Map<String, String> nameOwners = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), root, field, i);
            String rawRoot = item.requireString("root");
            String folder = rawRoot.endsWith("/") ? rawRoot.substring(0, rawRoot.length() - 1) : rawRoot;
            if (!AppConfig.isFolderPath(folder)) {
                throw item.at(item.child("root"), quoted(rawRoot) + " must be a folder path like 'shop' or 'packages/shop' (no leading slash, no '..')");
            }
            for (Subpackage other : subpackages) {
                if (other.root().equals(folder)) {
                    throw item.at(item.child("root"), quoted(rawRoot) + " is also the root of " + other.label());
                }
                if (isUnder(folder, other.root()) || isUnder(other.root(), folder)) {
                    throw item.at(item.child("root"), quoted(rawRoot) + " is nested with the root of " + other.label() + "; subpackage roots may not nest");
                }
            }
            for (String page : mainPages) {
                if (isUnder(page, folder)) {
                    throw item.at(item.child("root"), quoted(rawRoot) + " holds the main-package page '" + page + "'; a subpackage's folder is its own");
                }
            }
            String name = folder;
            if (item.has("name")) {
                name = item.requireString("name");
                if (name.isEmpty() || name.length() > NAME_CHARS_MAX || name.codePoints().anyMatch(SafeText::isUnsafe)) {
                    throw item.at(item.child("name"), quoted(name) + " must be 1 to " + NAME_CHARS_MAX
                            + " characters with no control or invisible character");
                }
            }
            String owner = nameOwners.putIfAbsent(name, folder);
            if (owner != null) {
                throw item.at(item.has("name") ? item.child("name") : item.child("root"),
                        "the name " + quoted(name) + " is already used by the subpackage at '" + owner + "/'");
            }
            if (!item.has("pages")) {
                throw item.error("missing required field 'pages' (may be empty for a subpackage of components and scripts only)");
            }
            // Empty is allowed: WeChat's asynchronous subpackages may hold only components and scripts.
            List<String> pageList = item.optionalStrings("pages", AppConfig.PAGES_MAX);
            List<String> pages = AppConfig.pageList(item, "pages", pageList, folder + "/", fileExists);
            boolean independent = item.has("independent") && item.requireBoolean("independent");
            subpackages.add(new Subpackage(name, folder, pages, independent));
        }
        return subpackages;
    }

    /** Plugins a subpackage declares for itself (WeChat allows that); the subpackages are already valid. */
    static void plugins(JsonObject root, List<Plugin> plugins, List<String> warnings) throws JsonFormatException {
        String field = root.has(OLD_FIELD) ? OLD_FIELD : FIELD;
        List<JsonNode> items = root.optionalArray(field, AppConfig.SUBPACKAGES_MAX);
        for (int i = 0; i < items.size(); i++) {
            AppConfig.plugins(JsonObject.element(items.get(i), root, field, i), plugins, warnings);
        }
    }

    /** Whether {@code path} lies strictly inside {@code folder}, by whole segments. */
    private static boolean isUnder(String path, String folder) {
        return path.startsWith(folder + "/");
    }
}
