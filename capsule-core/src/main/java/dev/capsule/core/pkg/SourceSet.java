package dev.capsule.core.pkg;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link Packer#collectSources} found in a source directory: the files to pack, by package
 * path in {@link PackagePaths#ORDER}, and what it left out and why.
 */
public record SourceSet(SortedMap<String, byte[]> files, List<LeftOut> leftOut) {
    public SourceSet {
        var copy = new TreeMap<String, byte[]>(PackagePaths.ORDER);
        copy.putAll(files);
        files = Collections.unmodifiableSortedMap(copy);
        leftOut = List.copyOf(leftOut);
    }
}
