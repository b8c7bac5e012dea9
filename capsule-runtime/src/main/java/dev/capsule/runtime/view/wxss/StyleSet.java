package dev.capsule.runtime.view.wxss;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every stylesheet of a package, compiled ({@link WxssCompiler#compilePackage(Map)}), and the scope
 * class names the view engine puts on elements.
 *
 * <p>Scoping: every selector compound of a sheet is scoped with the sheet's {@link #scopeClass(String)},
 * so a rule matches only elements that carry that class. The engine decides which scopes an element
 * carries (its own template's component, plus {@code app} and the page for {@code apply-shared} /
 * {@code shared} / {@code page-*} isolation, plus the owner's scope for external classes). All Capsule
 * class names start with {@link #RESERVED_CLASS_PREFIX}; the engine must refuse that prefix in guest class
 * tokens ({@link #isReservedClass(String)}), so a guest cannot put a scope on an element itself.
 *
 * <p>Security guarantees: no CSS text leaves this class that was not written by Capsule from parsed
 * values; with the class prefix reserved, no rule can match an element outside the mini-program's
 * elements; {@code url()}s name only package assets, resolved through an {@link AssetInliner}.
 */
public final class StyleSet {
    /** Every class name Capsule assigns starts with this; guests may not use it. */
    public static final String RESERVED_CLASS_PREFIX = "_capsule-";
    /** The class the page's root element carries (what WXSS's {@code page} selector compiles to). */
    public static final String PAGE_ROOT_CLASS = RESERVED_CLASS_PREFIX + "page";
    /** {@link #hostClass(String)} is a component's scope class followed by this. */
    public static final String HOST_CLASS_SUFFIX = "-host";
    /** The custom property every {@code rpx} length is a multiple of. */
    public static final String RPX_VARIABLE = "--rpx";
    /** {@code --rpx} on the page root: 750 rpx are the page's width. {@link #css} writes it first. */
    public static final String RPX_DEFINITION = "." + PAGE_ROOT_CLASS + "{" + RPX_VARIABLE + ":calc(100vw / 750)}";
    private static final int SCOPE_HASH_BYTES = 6;

    private final Map<String, CompiledSheet> sheets;
    private final List<StyleWarning> warnings;

    StyleSet(Map<String, CompiledSheet> sheets, List<StyleWarning> warnings) {
        this.sheets = Map.copyOf(sheets);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The scope class of a stylesheet path (without extension, {@code components/card/card}): stable
     * for a path, {@code _capsule-} followed by 12 hex digits of the path's SHA-256. Also defined for
     * paths that have no stylesheet (a component without WXSS still scopes its elements).
     */
    public static String scopeClass(String path) {
        Objects.requireNonNull(path, "path");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return RESERVED_CLASS_PREFIX + HexFormat.of().formatHex(digest, 0, SCOPE_HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The class a component's host element carries so that the component's {@code :host} rules match it. */
    public static String hostClass(String componentPath) {
        return scopeClass(componentPath) + HOST_CLASS_SUFFIX;
    }

    /** Whether a guest class token uses Capsule's reserved prefix (the engine drops such tokens). */
    public static boolean isReservedClass(String classToken) {
        return classToken.startsWith(RESERVED_CLASS_PREFIX);
    }

    /** The compiled sheet of {@code app}, a page or a component, by path without extension. */
    public Optional<CompiledSheet> sheet(String pathWithoutExt) {
        return Optional.ofNullable(sheets.get(pathWithoutExt));
    }

    /** What the compiler dropped, in file order. */
    public List<StyleWarning> warnings() {
        return warnings;
    }

    /**
     * The CSS of one page for the HTML renderer: {@link #RPX_DEFINITION}, then {@code app}, then the
     * given sheets in order (the page, then its components in the order the page uses them); a path
     * given twice or without a sheet is skipped. Asset {@code url()}s stay package paths.
     */
    public String css(List<String> sheetPaths) {
        throw new UnsupportedOperationException("compiler not built yet");
    }

    /** {@link #css(List)} with every asset {@code url()} replaced by {@code assets}' {@code data:} URI. */
    public String css(List<String> sheetPaths, AssetInliner assets) {
        throw new UnsupportedOperationException("compiler not built yet");
    }
}
