package dev.capsule.runtime.internal;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackagePaths;
import dev.capsule.core.text.SafeText;
import java.util.Optional;

/**
 * CommonJS resolution inside the package only: relative to the requiring file ("./a", "../b", or
 * "utils/x" as WeChat allows), or from the package root ("/utils/x"); ".js" optional, "index.js" for
 * folders; a bare name ({@code require('name')}, {@code require('name/sub')}) that is no such file
 * resolves through {@code miniprogram_npm} as WeChat's npm build lays it out. Nothing outside the
 * package is reachable: the package's files are the whole file system.
 */
final class Modules {
    /** Longest part of a request quoted back in an error; the rest is cut with "…". */
    static final int QUOTED_CHARS_MAX = 200;

    /** Largest package.json read to find a package's main. */
    static final int PACKAGE_JSON_BYTES_MAX = 64 * 1024;

    private Modules() {}

    /**
     * The request as an error quotes it: Capsule's own words around it, never a parser's, with control
     * characters, line separators and lone surrogates escaped and long requests cut, so an error a
     * guest provokes stays one short line.
     */
    static String quoted(String text) {
        String cut = text.length() > QUOTED_CHARS_MAX ? text.substring(0, QUOTED_CHARS_MAX) + "…" : text;
        return "'" + SafeText.escape(cut) + "'";
    }

    /** The package path of the module, or "!" followed by the error the guest's require throws. */
    static String resolve(CapsulePackage pkg, String fromFile, String request) {
        if (request.isEmpty() || request.indexOf('\0') >= 0 || request.indexOf('\\') >= 0 || request.indexOf(':') >= 0) {
            return "!require: invalid module path " + quoted(request) + " (module paths are package paths: no ':', '\\' or NUL)";
        }
        String dir = fromFile.substring(0, fromFile.lastIndexOf('/') + 1);
        String path = normalize((request.startsWith("/") ? "" : dir) + request);
        if (path == null) {
            return "!require: " + quoted(request) + " is outside the package";
        }
        String found = file(pkg, path);
        if (found == null && !request.startsWith(".") && !request.startsWith("/")) {
            found = npm(pkg, dir, request);
        }
        if (found == null) {
            return "!require: cannot find module " + quoted(request) + " from " + quoted(fromFile);
        }
        return found.startsWith("!") ? found : crossPackage(pkg.app(), fromFile, found);
    }

    /**
     * WeChat's rules between (sub)packages, which load separately: a subpackage may require the main
     * package and itself; the main package only itself; an independent subpackage only itself (it
     * launches without the main package). Returns {@code target} or the "!..." error.
     */
    static String crossPackage(AppConfig app, String fromFile, String target) {
        Optional<AppConfig.Subpackage> from = app.packageOf(fromFile);
        Optional<AppConfig.Subpackage> to = app.packageOf(target);
        if (from.equals(to) || from.isPresent() && !from.get().independent() && to.isEmpty()) {
            return target;
        }
        String where = from.map(s -> (s.independent() ? "independent " : "") + s.label()).orElse("the main package");
        String what = to.map(AppConfig.Subpackage::label).orElse("the main package");
        String why = from.isEmpty() ? "the main package loads without its subpackages"
                : from.get().independent() ? "an independent subpackage may require only its own files" : "a subpackage may require only its own files and the main package's";
        return "!require: " + quoted(fromFile) + " in " + SafeText.escape(where) + " may not require " + quoted(target) + " in "
                + SafeText.escape(what) + " (" + why + ")";
    }

    /** The script at {@code path}: the file, {@code path.js} or {@code path/index.js}; null if none. */
    private static String file(CapsulePackage pkg, String path) {
        for (String candidate : new String[] {path, path + ".js", path + "/index.js"}) {
            if (candidate.endsWith(".js") && pkg.hasFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * WeChat's npm resolution: {@code miniprogram_npm/<name>} in the requiring file's folder, then in
     * each folder above it up to the root (as "Build npm" lays packages out); within the package,
     * {@code name/sub} as a file, otherwise {@code package.json}'s {@code main} (which must stay inside
     * the package), then {@code index.js}. Returns null if no folder has the package, "!..." if the
     * package's package.json is unusable.
     */
    private static String npm(CapsulePackage pkg, String dir, String request) {
        int nameEnd = request.startsWith("@") ? request.indexOf('/', request.indexOf('/') + 1) : request.indexOf('/');
        String name = nameEnd < 0 ? request : request.substring(0, nameEnd);
        String sub = nameEnd < 0 ? "" : request.substring(nameEnd + 1);
        for (String npmFolder : PackagePaths.npmFolders(dir)) {
            String packageDir = normalize(npmFolder + "/" + name);
            if (packageDir != null && packageDir.startsWith(npmFolder + "/")) {
                String found = sub.isEmpty() ? npmMain(pkg, packageDir) : within(packageDir, sub) == null ? null : file(pkg, within(packageDir, sub));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String npmMain(CapsulePackage pkg, String packageDir) {
        String manifest = packageDir + "/package.json";
        if (pkg.hasFile(manifest)) {
            String main;
            try {
                JsonObject json = StrictJson.parseObject(pkg.file(manifest), manifest, PACKAGE_JSON_BYTES_MAX);
                main = json.has("main") && !json.isNull("main") ? json.requireString("main") : null;
            } catch (JsonFormatException e) {
                return "!require: " + SafeText.escape(e.getMessage(), QUOTED_CHARS_MAX * 2);
            }
            if (main != null) {
                String target = within(packageDir, main);
                if (target == null) {
                    return "!require: " + quoted(manifest) + " names a main outside its package: " + quoted(main);
                }
                String found = file(pkg, target);
                if (found != null) {
                    return found;
                }
            }
        }
        return file(pkg, packageDir + "/index");
    }

    /** {@code relative} inside {@code packageDir}, or null if it leaves it. */
    private static String within(String packageDir, String relative) {
        String path = relative.startsWith("/") ? null : normalize(packageDir + "/" + relative);
        return path != null && path.startsWith(packageDir + "/") ? path : null;
    }

    /** The path with "." and ".." segments resolved; null if it climbs above the root. */
    private static String normalize(String path) {
        return PackagePaths.normalize(path).orElse(null);
    }
}
