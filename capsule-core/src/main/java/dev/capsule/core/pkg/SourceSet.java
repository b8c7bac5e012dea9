package dev.capsule.core.pkg;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link Packer#collectSources} found in a source directory: the files to pack, by package
 * path in {@link PackagePaths#ORDER}, and what it left out and why. When the project enables
 * WeChat's TypeScript plugin, {@code files} also holds its {@code .ts} sources ({@link #typeScript}):
 * they must be compiled to {@link #compiledPath} before {@link Packer#pack(java.util.Map, PackageLimits)},
 * which refuses any {@code .ts} file.
 */
public record SourceSet(SortedMap<String, byte[]> files, List<LeftOut> leftOut) {
    /** Whether the package path names a TypeScript file (case ignored): a source to compile, never a packed file. */
    public static boolean typeScript(String path) {
        return UploadFileTypes.typescript(path);
    }

    /** The {@code .js} path WeChat's tools compile the TypeScript source {@code path} to: beside it, same name. */
    public static String compiledPath(String path) {
        if (!typeScript(path)) {
            throw new IllegalArgumentException("not a TypeScript source: " + PackagePaths.printable(path));
        }
        return path.substring(0, path.length() - UploadFileTypes.TYPESCRIPT.length()) + ".js";
    }

    public SourceSet {
        var copy = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        copy.putAll(files);
        files = Collections.unmodifiableSortedMap(copy);
        leftOut = List.copyOf(leftOut);
    }
}
