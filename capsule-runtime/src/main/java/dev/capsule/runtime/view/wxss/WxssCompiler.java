package dev.capsule.runtime.view.wxss;

import dev.capsule.core.manifest.HostName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles every {@code .wxss} file of a package with a real CSS parser (ph-css) into scoped,
 * re-serialized CSS ({@link StyleSet}). See docs/view.md, "Styles".
 *
 * <p>Security guarantees: output CSS is written by Capsule from the parsed model only (every string
 * re-escaped, no {@code <} or {@code >} outside escapes, so it cannot end an HTML style element); every
 * selector compound is scoped ({@link StyleSet#scopeClass(String)}); {@code url()} survives only for
 * package images and fonts, inline base64 images and {@code https://} URLs on the given host allowlist;
 * {@code expression()}, {@code behavior}, {@code -moz-binding}, {@code element()}, {@code @import} of URLs,
 * {@code @font-face} from outside the package, {@code @charset} and {@code @namespace} are dropped with a
 * {@link StyleWarning}; input and output sizes and import depth are bounded; only {@link WxssException}
 * leaves {@link #compilePackage}, whatever the input.
 */
public final class WxssCompiler {
    /** Largest single {@code .wxss} file. */
    public static final int SHEET_BYTES_MAX = 512 * 1024;
    /** Largest compiled sheet, its imports inlined (scoping lengthens every selector). */
    public static final int COMPILED_SHEET_CHARS_MAX = 2 * 1024 * 1024;
    /** Largest sum of all compiled sheets of a package. */
    public static final int PACKAGE_CSS_CHARS_MAX = 8 * 1024 * 1024;
    /** Deepest chain of {@code @import}s. */
    public static final int IMPORT_DEPTH_MAX = 16;
    /** Most files inlined into one sheet (the sheet itself included), so shared imports cannot multiply. */
    public static final int IMPORTED_FILES_PER_SHEET_MAX = 256;

    private static final String APP = "app";
    private static final String EXTENSION = ".wxss";

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
        Objects.requireNonNull(files, "files");
        AssetUrls urls = new AssetUrls(files, httpsHosts);
        TreeSet<String> sheetPaths = new TreeSet<>();
        for (String file : files.keySet()) {
            if (file.endsWith(EXTENSION) && file.length() > EXTENSION.length()) {
                sheetPaths.add(file.substring(0, file.length() - EXTENSION.length()));
            }
        }
        List<StyleWarning> warnings = new ArrayList<>();
        Map<String, SheetParser.Parsed> parsed = new HashMap<>();
        Map<String, CompiledSheet> sheets = new LinkedHashMap<>();
        Map<String, List<CssPiece>> pieces = new HashMap<>();
        Map<String, String> appKeyframes = Map.of();
        List<String> order = new ArrayList<>();
        if (sheetPaths.remove(APP)) {
            order.add(APP);
        }
        order.addAll(sheetPaths);
        long total = 0;
        for (String path : order) {
            SheetCompiler.Result result = SheetCompiler.compile(path, files, urls, appKeyframes, parsed, warnings);
            if (path.equals(APP)) {
                appKeyframes = result.keyframes();
            }
            CompiledSheet sheet = StyleSet.sheetOf(path, result.pieces());
            total += sheet.css().length();
            if (total > PACKAGE_CSS_CHARS_MAX) {
                throw new WxssException(path + EXTENSION, 1, 1, "the package's compiled stylesheets are larger than "
                        + PACKAGE_CSS_CHARS_MAX + " characters");
            }
            sheets.put(path, sheet);
            pieces.put(path, result.pieces());
        }
        return new StyleSet(sheets, pieces, List.copyOf(new LinkedHashSet<>(warnings)));
    }
}
