package dev.capsule.runtime.review.sbom;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.pkg.CapsulePackage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds third-party libraries bundled in a package's files, three ways: an npm package directory's
 * {@code package.json} ({@code miniprogram_npm/NAME/package.json}, {@code miniprogram_npm/@SCOPE/NAME/package.json},
 * and the same below any {@code node_modules/}), and a version banner in a JavaScript file's leading comment
 * ({@code /*! lodash v4.17.20 *}{@code /}, {@code /** @license NAME VERSION}, or an {@code @version} tag with
 * {@code @name}/{@code @module}/{@code @package}). A {@code package.json} deeper inside a package directory is the
 * library's own file, not a package of its own. Detection is evidence, not proof: a determined author can hide a
 * library; what it finds is listed in the SBOM and matched.
 */
final class BundledLibraries {
    /** Only the head of a script is read for a banner: banners are the first comment. */
    static final int BANNER_HEAD_CHARS_MAX = 4 * 1024;
    /** A bundled package.json larger than this is not a library manifest. */
    static final int PACKAGE_JSON_BYTES_MAX = 256 * 1024;
    /** npm's own limit on package names. */
    static final int NAME_CHARS_MAX = 214;

    /** npm package names: lower case, URL-safe, optionally scoped. */
    static final Pattern NPM_NAME = Pattern.compile("(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*");
    private static final Pattern PACKAGE_DIR = Pattern.compile(
            "(?:miniprogram_npm|(?:.*/)?node_modules)/((?:@[^/]+/)?[^/@][^/]*)/package\\.json");
    private static final String VERSION = "v?(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?)";
    private static final Pattern BANG_BANNER = Pattern.compile("/\\*[!*]\\s*(?:@license\\s+)?(@?[A-Za-z0-9][A-Za-z0-9._~/-]*)\\s+" + VERSION + "(?![0-9A-Za-z.])");
    private static final Pattern VERSION_TAG = Pattern.compile("@version\\s+" + VERSION);
    private static final Pattern NAME_TAG = Pattern.compile("@(?:name|module|package)\\s+(@?[A-Za-z0-9][A-Za-z0-9._~/-]*)");

    private BundledLibraries() {}

    /** A library found in a file. */
    record Detected(String name, String version, String path, int line) {}

    /** A file that looks like a library manifest but cannot be read as one. */
    record Unreadable(String path, String reason) {}

    record Result(List<Detected> detected, List<Unreadable> unreadable) {}

    static Result scan(CapsulePackage pkg) {
        List<Detected> detected = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (String path : pkg.paths()) {
            Matcher dir = PACKAGE_DIR.matcher(path);
            if (dir.matches()) {
                packageJson(pkg, path, dir.group(1), detected, unreadable);
            } else if (path.endsWith(".js") || path.endsWith(".mjs") || path.endsWith(".cjs")) {
                banner(pkg, path).ifPresent(detected::add);
            }
        }
        return new Result(detected, unreadable);
    }

    private static void packageJson(CapsulePackage pkg, String path, String directoryName, List<Detected> detected, List<Unreadable> unreadable) {
        try {
            JsonObject json = StrictJson.parseObject(pkg.file(path), path, PACKAGE_JSON_BYTES_MAX);
            // npm installs a package under its own name (or an alias of it); the name field is the registry's.
            String name = json.has("name") ? json.requireString("name") : directoryName;
            if (!json.has("version")) {
                unreadable.add(new Unreadable(path, "has no 'version'"));
                return;
            }
            String version = json.requireString("version");
            if (!validName(name)) {
                unreadable.add(new Unreadable(path, "'name' is not an npm package name"));
            } else if (!Pattern.compile(VERSION).matcher(version).matches()) {
                unreadable.add(new Unreadable(path, "'version' is not a semantic version"));
            } else {
                detected.add(new Detected(name, strip(version), path, 0));
            }
        } catch (JsonFormatException e) {
            unreadable.add(new Unreadable(path, "is not a readable package.json"));
        }
    }

    private static Optional<Detected> banner(CapsulePackage pkg, String path) {
        byte[] bytes = pkg.file(path);
        String head = new String(bytes, 0, Math.min(bytes.length, BANNER_HEAD_CHARS_MAX), StandardCharsets.UTF_8);
        int start = head.indexOf("/*");
        if (start < 0 || !head.substring(0, start).isBlank()) {
            return Optional.empty(); // a banner is the file's first thing
        }
        int end = head.indexOf("*/", start);
        String comment = end < 0 ? head.substring(start) : head.substring(start, end);
        Matcher bang = BANG_BANNER.matcher(comment);
        if (bang.lookingAt()) {
            return detected(bang.group(1), bang.group(2), path, head, start);
        }
        Matcher version = VERSION_TAG.matcher(comment);
        Matcher name = NAME_TAG.matcher(comment);
        if (version.find() && name.find()) {
            return detected(name.group(1), version.group(1), path, head, start + version.start());
        }
        return Optional.empty();
    }

    private static Optional<Detected> detected(String rawName, String version, String path, String head, int offset) {
        // Banners capitalise ("jQuery"); npm names are lower case.
        String name = rawName.toLowerCase(java.util.Locale.ROOT);
        if (!validName(name)) {
            return Optional.empty();
        }
        int line = 1 + (int) head.substring(0, offset).chars().filter(c -> c == '\n').count();
        return Optional.of(new Detected(name, strip(version), path, line));
    }

    private static boolean validName(String name) {
        return name.length() <= NAME_CHARS_MAX && NPM_NAME.matcher(name).matches();
    }

    private static String strip(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }
}
