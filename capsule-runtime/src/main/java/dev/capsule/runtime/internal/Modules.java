package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import java.util.ArrayList;
import java.util.List;

/**
 * CommonJS resolution inside the package only: relative to the requiring file ("./a", "../b", or
 * "utils/x" as WeChat allows), or from the package root ("/utils/x"); ".js" optional, "index.js" for
 * folders. Nothing outside the package is reachable: the package's files are the whole file system.
 */
final class Modules {
    private Modules() {}

    /** The package path of the module, or "!" followed by the error the guest's require throws. */
    static String resolve(CapsulePackage pkg, String fromFile, String request) {
        if (request.isEmpty() || request.indexOf('\0') >= 0 || request.indexOf('\\') >= 0 || request.indexOf(':') >= 0) {
            return "!require: invalid module path '" + request + "'";
        }
        String base = request.startsWith("/") ? "" : fromFile.substring(0, fromFile.lastIndexOf('/') + 1);
        List<String> parts = new ArrayList<>();
        for (String seg : (base + request).split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    return "!require: '" + request + "' is outside the package";
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
        return "!require: cannot find module '" + request + "' from '" + fromFile + "'";
    }
}
