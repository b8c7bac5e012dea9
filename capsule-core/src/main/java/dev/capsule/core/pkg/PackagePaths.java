package dev.capsule.core.pkg;

import dev.capsule.core.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rules for names inside a package. A name is relative, uses '/' only, and has no empty, "." or
 * ".." segment, no drive letter or colon, no backslash, and no control, invisible (bidi override,
 * zero-width) or unassigned character: such a name can
 * never point outside the package on any operating system (no zip-slip), even though Capsule never
 * extracts to disk.
 */
public final class PackagePaths {
    /** Entries under this prefix are Capsule's own metadata; sources may not use it. */
    public static final String METADATA_PREFIX = "_capsule/";
    public static final int NAME_BYTES_MAX = 255;
    /** Unsigned UTF-8 byte order: the order of the digest manifest and of archive entries. */
    public static final Comparator<String> ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private PackagePaths() {}

    /**
     * Checks a package path.
     *
     * @throws PackageException with {@link Reason#UNSAFE_PATH} naming the rule broken
     */
    public static void check(String name) throws PackageException {
        String problem = problemWith(name);
        if (problem != null) {
            throw new PackageException(Reason.UNSAFE_PATH, "unsafe path '" + printable(name) + "': " + problem);
        }
    }

    static String problemWith(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_BYTES_MAX) {
            return "longer than " + NAME_BYTES_MAX + " bytes";
        }
        if (name.indexOf('\\') >= 0) {
            return "backslash in name";
        }
        if (name.startsWith("/")) {
            return "absolute path";
        }
        if (name.length() >= 2 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':') {
            return "drive letter";
        }
        if (name.indexOf(':') >= 0) {
            return "colon in name";
        }
        if (name.codePoints().anyMatch(SafeText::isUnsafe)) {
            return "control, invisible or unassigned character in name";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "'..' segment";
            }
            if (segment.equals(".")) {
                return "'.' segment";
            }
            if (segment.isEmpty()) {
                return "empty segment";
            }
        }
        return null;
    }

    /** The name with unsafe characters escaped, safe to put in a one-line message. */
    public static String printable(String name) {
        return SafeText.escape(name);
    }

    /** The folder WeChat's "Build npm" writes packages to. */
    public static final String NPM_FOLDER = "miniprogram_npm";

    /**
     * The path with "." and ".." segments resolved and empty segments dropped; empty when it climbs
     * above the package root. The one normalization of package-relative references (require, WXML
     * import/include, usingComponents).
     */
    public static Optional<String> normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        return Optional.of(String.join("/", parts));
    }

    /**
     * The {@value #NPM_FOLDER} folders WeChat's npm resolution searches, nearest first: the one in
     * {@code dir} (a normalized folder, "" for the root or ending in "/"), then the one in each folder
     * above it, up to the root's.
     */
    public static List<String> npmFolders(String dir) {
        List<String> out = new ArrayList<>();
        String folder = dir;
        while (true) {
            out.add(folder + NPM_FOLDER);
            if (folder.isEmpty()) {
                return out;
            }
            folder = folder.substring(0, folder.lastIndexOf('/', folder.length() - 2) + 1);
        }
    }
}
