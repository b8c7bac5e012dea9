package dev.capsule.runtime.view.wxml;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.pkg.PackagePaths;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Which custom component each tag of each page or component names: {@code usingComponents} of
 * app.json (everywhere) and of each page/component json, {@code componentGenerics},
 * {@code componentPlaceholder}, {@code component: true} and {@code styleIsolation}.
 *
 * <p>A component path is resolved as WeChat does: {@code /a/b} from the package root; {@code ./a},
 * {@code ../a} and {@code a/b} relative to the json's folder; a path that names no component there is
 * looked up in {@code miniprogram_npm} folders, nearest first (the rule {@code require} uses,
 * {@link PackagePaths#npmFolders}). A component is {@code path.json} with {@code "component": true}, or
 * {@code path/index.json}. Every page's json is read (a page without one uses no components), then every
 * component reachable from them.
 *
 * <p>Security guarantees: only package paths; {@code plugin://} components are refused (Capsule runs no
 * plugin code), as is a path that names no component, a tag that is not a valid component tag name, a
 * json over {@link #JSON_BYTES_MAX} or with more than {@link #ENTRIES_MAX} entries in a map, and more
 * than {@link #COMPONENTS_MAX} components. Each error names the json file.
 */
public final class ComponentIndex {
    /** Bytes of one page or component json. */
    public static final int JSON_BYTES_MAX = 256 * 1024;
    /** Entries of one {@code usingComponents} (or generics, placeholders). */
    public static final int ENTRIES_MAX = 500;
    /** Pages and components one package declares. */
    public static final int COMPONENTS_MAX = 5_000;

    /** WeChat's custom component tag names: lower-case letters, digits, '-' and '_'. */
    private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final Map<String, ComponentDecl> decls;
    private final Map<String, String> global;

    private ComponentIndex(Map<String, ComponentDecl> decls, Map<String, String> global) {
        this.decls = Map.copyOf(decls);
        this.global = Map.copyOf(global);
    }

    /** Reads app.json's and every page's json, then every component they reach. */
    public static ComponentIndex resolve(Map<String, byte[]> packageFiles, AppConfig app) throws WxmlException {
        Map<String, ComponentDecl> decls = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        Map<String, String> global = Map.of();
        byte[] appJson = packageFiles.get(AppConfig.FILE_NAME);
        if (appJson != null) {
            ComponentDecl appDecl = read(packageFiles, "app", AppConfig.FILE_NAME, appJson, false);
            global = appDecl.usingComponents();
            todo.addAll(global.values());
            appDecl.generics().values().forEach(g -> {
                if (g.defaultPath() != null) {
                    todo.add(g.defaultPath());
                }
            });
        }
        for (String page : app.pages()) {
            byte[] json = packageFiles.get(page + ".json");
            ComponentDecl decl = json == null
                    ? new ComponentDecl(page, false, Map.of(), Map.of(), Map.of(), null)
                    : read(packageFiles, page, page + ".json", json, false);
            decls.put(page, decl);
            enqueue(todo, decl);
        }
        while (!todo.isEmpty()) {
            String component = todo.poll();
            if (decls.containsKey(component)) {
                continue;
            }
            if (decls.size() >= COMPONENTS_MAX) {
                throw new WxmlException(component + ".json", 0, 0, "a package declares at most " + COMPONENTS_MAX + " pages and components");
            }
            ComponentDecl decl = read(packageFiles, component, component + ".json", packageFiles.get(component + ".json"), true);
            decls.put(component, decl);
            enqueue(todo, decl);
        }
        return new ComponentIndex(decls, global);
    }

    private static void enqueue(Deque<String> todo, ComponentDecl decl) {
        todo.addAll(decl.usingComponents().values());
        decl.generics().values().forEach(g -> {
            if (g.defaultPath() != null) {
                todo.add(g.defaultPath());
            }
        });
    }

    /** The declaration of a page or component (package path without extension). */
    public Optional<ComponentDecl> of(String pathWithoutExt) {
        return Optional.ofNullable(decls.get(pathWithoutExt));
    }

    /** Every page and component json that was read, by path without extension. */
    public Map<String, ComponentDecl> all() {
        return decls;
    }

    /** app.json's {@code usingComponents}: tag → component path without extension, usable everywhere. */
    public Map<String, String> appComponents() {
        return global;
    }

    /** The component a tag names inside {@code ownerPath} (its own json first, then app.json's), as a path without extension. */
    public Optional<String> resolveTag(String ownerPath, String tag) {
        ComponentDecl decl = decls.get(ownerPath);
        String own = decl == null ? null : decl.usingComponents().get(tag);
        return Optional.ofNullable(own != null ? own : global.get(tag));
    }

    // ---- reading one json ----

    private static ComponentDecl read(Map<String, byte[]> files, String path, String jsonPath, byte[] bytes, boolean mustBeComponent)
            throws WxmlException {
        JsonNode root;
        try {
            root = StrictJson.parseObject(bytes, jsonPath, JSON_BYTES_MAX).toNode();
        } catch (JsonFormatException e) {
            String m = e.getMessage();
            throw new WxmlException(jsonPath, 0, 0, m.startsWith(jsonPath + ": ") ? m.substring(jsonPath.length() + 2) : m);
        }
        JsonNode componentFlag = root.get("component");
        if (componentFlag != null && !componentFlag.isBoolean()) {
            throw new WxmlException(jsonPath, 0, 0, "component is true or false");
        }
        boolean component = componentFlag != null && componentFlag.booleanValue();
        if (mustBeComponent && !component) {
            throw new WxmlException(jsonPath, 0, 0, "is used as a component but does not declare \"component\": true");
        }
        Map<String, String> using = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries(root, "usingComponents", jsonPath).entrySet()) {
            String tag = e.getKey();
            if (!TAG.matcher(tag).matches() || tag.startsWith("wx-")) {
                throw new WxmlException(jsonPath, 0, 0, "usingComponents key " + quote(tag)
                        + " is not a component tag name (lower-case letters, digits, '-' and '_', not starting with wx-)");
            }
            if (!e.getValue().isString()) {
                throw new WxmlException(jsonPath, 0, 0, "usingComponents." + tag + " is a path string");
            }
            using.put(tag, component(files, jsonPath, "usingComponents." + tag, e.getValue().stringValue()));
        }
        Map<String, ComponentDecl.Generic> generics = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries(root, "componentGenerics", jsonPath).entrySet()) {
            String name = e.getKey();
            if (!TAG.matcher(name).matches()) {
                throw new WxmlException(jsonPath, 0, 0, "componentGenerics key " + quote(name) + " is not a component tag name");
            }
            JsonNode v = e.getValue();
            String defaultPath = null;
            if (v.isObject() && v.has("default")) {
                if (!v.get("default").isString()) {
                    throw new WxmlException(jsonPath, 0, 0, "componentGenerics." + name + ".default is a path string");
                }
                defaultPath = component(files, jsonPath, "componentGenerics." + name + ".default", v.get("default").stringValue());
            } else if (!(v.isBoolean() && v.booleanValue()) && !v.isObject()) {
                throw new WxmlException(jsonPath, 0, 0, "componentGenerics." + name + " is true or {\"default\": path}");
            }
            generics.put(name, new ComponentDecl.Generic(name, defaultPath));
        }
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries(root, "componentPlaceholder", jsonPath).entrySet()) {
            if (!e.getValue().isString() || !TAG.matcher(e.getValue().stringValue()).matches()) {
                throw new WxmlException(jsonPath, 0, 0, "componentPlaceholder." + e.getKey() + " is a tag name such as view");
            }
            if (!using.containsKey(e.getKey())) {
                throw new WxmlException(jsonPath, 0, 0, "componentPlaceholder names " + quote(e.getKey()) + ", which usingComponents does not declare");
            }
            placeholders.put(e.getKey(), e.getValue().stringValue());
        }
        StyleIsolation isolation = null;
        JsonNode iso = root.get("styleIsolation");
        if (iso != null) {
            isolation = iso.isString() ? StyleIsolation.of(iso.stringValue()).orElse(null) : null;
            if (isolation == null) {
                throw new WxmlException(jsonPath, 0, 0, "styleIsolation is one of isolated, apply-shared, shared, page-isolated, page-apply-shared, page-shared");
            }
        }
        return new ComponentDecl(path, component, using, generics, placeholders, isolation);
    }

    private static Map<String, JsonNode> entries(JsonNode root, String field, String jsonPath) throws WxmlException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new WxmlException(jsonPath, 0, 0, field + " is an object");
        }
        if (v.size() > ENTRIES_MAX) {
            throw new WxmlException(jsonPath, 0, 0, field + " has at most " + ENTRIES_MAX + " entries");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String quote(String s) {
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "…" : s) + "'";
    }

    /** The component a reference in {@code jsonPath} names, as a package path without extension. */
    private static String component(Map<String, byte[]> files, String jsonPath, String field, String ref) throws WxmlException {
        if (ref.startsWith("plugin://") || ref.startsWith("plugin-private://")) {
            throw new WxmlException(jsonPath, 0, 0, field + " is the plugin component " + quote(ref)
                    + ": Capsule runs no plugin code, so plugin components are not supported");
        }
        Optional<String> local = PackageText.resolve(jsonPath, ref).flatMap(p -> found(files, p));
        if (local.isPresent()) {
            return local.get();
        }
        if (PackageText.resolve(jsonPath, ref).isEmpty()) {
            throw new WxmlException(jsonPath, 0, 0, field + " " + quote(ref) + " is not a package path");
        }
        if (!ref.startsWith(".") && !ref.startsWith("/")) {
            for (String npm : PackagePaths.npmFolders(PackageText.dir(jsonPath))) {
                Optional<String> inNpm = PackagePaths.normalize(npm + "/" + ref).filter(p -> p.startsWith(npm + "/")).flatMap(p -> found(files, p));
                if (inNpm.isPresent()) {
                    return inNpm.get();
                }
            }
        }
        throw new WxmlException(jsonPath, 0, 0, field + " " + quote(ref) + " names no component in the package (no .json at "
                + PackageText.resolve(jsonPath, ref).orElse(ref) + ".json, its /index.json, or under miniprogram_npm)");
    }

    private static Optional<String> found(Map<String, byte[]> files, String path) {
        String p = PackageText.stripExt(PackageText.stripExt(path, ".json"), ".js");
        if (files.containsKey(p + ".json")) {
            return Optional.of(p);
        }
        if (files.containsKey(p + "/index.json")) {
            return Optional.of(p + "/index");
        }
        return Optional.empty();
    }
}
