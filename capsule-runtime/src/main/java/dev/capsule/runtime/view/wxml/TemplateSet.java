package dev.capsule.runtime.view.wxml;

import java.util.Map;
import java.util.Optional;

/**
 * Every template of a package, parsed and linked once. Security guarantees: only package paths are
 * read; import/include cycles, missing files and files over the limits are refused with a position.
 */
public final class TemplateSet {
    /** Bytes of one {@code .wxml} or {@code .wxs} file. */
    public static final int FILE_BYTES_MAX = 1 << 20;
    /** {@code .wxml} files in one package. */
    public static final int FILES_MAX = 5_000;

    private TemplateSet() {
    }

    public static TemplateSet compile(Map<String, byte[]> packageFiles) throws WxmlException {
        throw new UnsupportedOperationException("API only");
    }

    /** The file {@code pathWithoutExt + ".wxml"}, resolved; empty when the package has none. */
    public Optional<ResolvedTemplate> page(String pathWithoutExt) {
        throw new UnsupportedOperationException("API only");
    }

    /** The package's {@code .wxs} files by package path, as text. */
    public Map<String, String> wxsFiles() {
        throw new UnsupportedOperationException("API only");
    }
}
