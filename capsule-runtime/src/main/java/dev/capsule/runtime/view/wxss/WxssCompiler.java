package dev.capsule.runtime.view.wxss;

import dev.capsule.core.manifest.HostName;
import java.util.Map;
import java.util.Set;

/**
 * Compiles every {@code .wxss} file of a package with a real CSS parser into scoped, re-serialized
 * CSS ({@link StyleSet}). See docs/view.md, "Styles".
 *
 * <p>Security guarantees: output CSS is written from the parsed model only; every selector compound
 * is scoped ({@link StyleSet#scopeClass(String)}); {@code url()} survives only for package assets
 * and {@code https://} URLs on the given host allowlist; {@code expression()}, {@code behavior},
 * {@code -moz-binding}, {@code @import} of URLs, remote {@code @font-face}, {@code @charset} and
 * {@code @namespace} are dropped with a {@link StyleWarning}; input and output sizes are bounded.
 */
public final class WxssCompiler {
    /** Largest single {@code .wxss} file. */
    public static final int SHEET_BYTES_MAX = 512 * 1024;
    /** Largest compiled sheet, its imports inlined. */
    public static final int COMPILED_SHEET_CHARS_MAX = 1024 * 1024;
    /** Largest sum of all compiled sheets of a package. */
    public static final int PACKAGE_CSS_CHARS_MAX = 8 * 1024 * 1024;
    /** Deepest chain of {@code @import}s. */
    public static final int IMPORT_DEPTH_MAX = 16;

    private WxssCompiler() {
    }

    /** Compiles every {@code .wxss} of {@code files} (package paths to bytes) with no remote host allowed. */
    public static StyleSet compilePackage(Map<String, byte[]> files) throws WxssException {
        return compilePackage(files, Set.of());
    }

    /**
     * Compiles every {@code .wxss} of {@code files}; {@code https://} {@code url()}s survive only for
     * {@code httpsHosts} (capsule.json's image hosts).
     *
     * @throws WxssException the first stylesheet that does not parse, imports what cannot be resolved,
     *     or breaches a limit
     */
    public static StyleSet compilePackage(Map<String, byte[]> files, Set<HostName> httpsHosts) throws WxssException {
        throw new UnsupportedOperationException("compiler not built yet");
    }
}
