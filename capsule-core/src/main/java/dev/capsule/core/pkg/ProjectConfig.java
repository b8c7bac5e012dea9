package dev.capsule.core.pkg;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;

/**
 * The parts of WeChat's project.config.json (the developer tools' project file, beside the sources)
 * that decide what is uploaded: {@code miniprogramRoot} (the folder holding app.json, when it is
 * not the project folder itself), {@code cloudfunctionRoot} (cloud functions, deployed apart),
 * {@code packOptions.ignore} and {@code setting.useCompilerPlugins} (whether the tools' built-in
 * TypeScript plugin compiles {@code .ts} files to {@code .js} at upload). Its other fields are the
 * tools' and are left alone.
 *
 * @param miniprogramRoot the mini-program's folder relative to the project, with a trailing '/', or "" for the project folder
 * @param cloudFunctionRoot the cloud-function folder relative to the mini-program's folder, with a trailing '/', or "" when there
 *     is none inside it
 * @param ignore the {@code packOptions.ignore} rules, matched relative to the mini-program's folder
 * @param typescript whether {@code setting.useCompilerPlugins} names {@code "typescript"}: {@code .ts} files are sources to
 *     compile, not files left out
 */
record ProjectConfig(String miniprogramRoot, String cloudFunctionRoot, PackIgnore ignore, boolean typescript) {
    static final String FILE_NAME = "project.config.json";
    static final int FILE_BYTES_MAX = 1024 * 1024;
    static final ProjectConfig NONE = new ProjectConfig("", "", PackIgnore.NONE, false);
    /** The compiler plugin that makes WeChat's tools compile TypeScript ("typescript", "less", "sass" exist). */
    static final String TYPESCRIPT_PLUGIN = "typescript";
    /** Entries read from {@code useCompilerPlugins}: WeChat's tools know three plugins. */
    static final int COMPILER_PLUGINS_MAX = 16;

    static ProjectConfig parse(byte[] json) throws PackageException {
        try {
            JsonObject root = StrictJson.parseObject(json, FILE_NAME, FILE_BYTES_MAX);
            String miniprogramRoot = folder(root, "miniprogramRoot");
            String cloudFunctionRoot = folder(root, "cloudfunctionRoot");
            // Cloud functions usually sit beside the mini-program's folder, outside what is walked.
            cloudFunctionRoot = cloudFunctionRoot.startsWith(miniprogramRoot) ? cloudFunctionRoot.substring(miniprogramRoot.length()) : "";
            return new ProjectConfig(miniprogramRoot, cloudFunctionRoot, PackIgnore.parse(root), typescript(root));
        } catch (JsonFormatException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
    }

    /**
     * Whether {@code setting.useCompilerPlugins} is a list naming "typescript" (absent, null or {@code false}: no
     * plugins; anything else but a list is an error, never read as "off"). Only string entries name a plugin; other entries are other plugins' options.
     */
    private static boolean typescript(JsonObject root) throws JsonFormatException {
        JsonObject setting = root.isNull("setting") ? null : root.optionalObject("setting");
        if (setting == null || setting.isNull("useCompilerPlugins")) {
            return false;
        }
        // WeChat's tools write `false` when no compiler plugin is enabled (most real projects have it).
        tools.jackson.databind.JsonNode plugins = setting.toNode().get("useCompilerPlugins");
        if (plugins.isBoolean() && !plugins.booleanValue()) {
            return false;
        }
        return setting.optionalArray("useCompilerPlugins", COMPILER_PLUGINS_MAX).stream()
                .anyMatch(item -> item.isString() && item.stringValue().equals(TYPESCRIPT_PLUGIN));
    }

    /** Whether {@code folder} (relative to the mini-program's folder, ending in '/') is the cloud-function folder. */
    boolean isCloudFunctionRoot(String folder) {
        return !cloudFunctionRoot.isEmpty() && folder.equals(cloudFunctionRoot);
    }

    /**
     * A folder field: "./miniprogram", "miniprogram/" and "miniprogram" alike become "miniprogram/";
     * absent, "" and "./" become "" (the project folder). It must stay inside the project.
     */
    private static String folder(JsonObject root, String field) throws JsonFormatException {
        if (!root.has(field)) {
            return "";
        }
        String value = root.requireString(field);
        String folder = value;
        while (folder.startsWith("./")) {
            folder = folder.substring(2);
        }
        while (folder.endsWith("/")) {
            folder = folder.substring(0, folder.length() - 1);
        }
        if (folder.isEmpty() || folder.equals(".")) {
            return "";
        }
        String problem = PackagePaths.problemWith(folder);
        if (problem != null) {
            throw root.at(root.child(field), "'" + PackagePaths.printable(value) + "' must be a folder inside the project (" + problem + ")");
        }
        return folder + "/";
    }
}
