package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * CommonJS resolution inside the package only: relative to the requiring file ("./a", "../b", or
 * "utils/x" as WeChat allows), or from the package root ("/utils/x"); ".js" optional, "index.js" for
 * folders. Nothing outside the package is reachable: the package's files are the whole file system.
 */
final class Modules {
    /** Longest part of a request quoted back in an error; the rest is cut with "…". */
    static final int QUOTED_CHARS_MAX = 200;

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
        String base = request.startsWith("/") ? "" : fromFile.substring(0, fromFile.lastIndexOf('/') + 1);
        List<String> parts = new ArrayList<>();
        for (String seg : (base + request).split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    return "!require: " + quoted(request) + " is outside the package";
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        String path = String.join("/", parts);
        for (String candidate : new String[] {path, path + ".js", path + "/index.js"}) {
            if (candidate.endsWith(".js") && pkg.hasFile(candidate)) {
                return candidate;
            }
        }
        return "!require: cannot find module " + quoted(request) + " from " + quoted(fromFile);
    }
}
