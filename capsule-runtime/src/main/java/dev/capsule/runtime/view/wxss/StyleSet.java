package dev.capsule.runtime.view.wxss;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
    /**
     * {@link #RPX_DEFINITION} for a page drawn in a frame narrower than the window (the host shell's device frame,
     * an {@code inline-size} container): 750 rpx are the frame's width ({@code cqw}; without a container, the small
     * viewport's width).
     */
    public static final String RPX_DEFINITION_IN_FRAME = "." + PAGE_ROOT_CLASS + "{" + RPX_VARIABLE + ":calc(100cqw / 750)}";

    /** What 750 rpx span: the window (a page that is the whole window) or the page's frame (the host shell). */
    public enum RpxBase {
        VIEWPORT(RPX_DEFINITION),
        FRAME(RPX_DEFINITION_IN_FRAME);

        private final String definition;

        RpxBase(String definition) {
            this.definition = definition;
        }
    }
    private static final int SCOPE_HASH_BYTES = 6;
    /** What an {@link AssetInliner} may answer: a base64 {@code data:} URI of an image or font. */
    private static final Pattern INLINE_ASSET = Pattern.compile(
            "data:(image/(png|jpeg|gif|webp|svg\\+xml|bmp|x-icon|vnd\\.microsoft\\.icon)|font/(woff2?|ttf|otf|sfnt)"
                    + "|application/(font-woff2?|x-font-ttf|x-font-otf|x-font-opentype|vnd\\.ms-fontobject|octet-stream));base64,[A-Za-z0-9+/]*={0,2}");

    /**
     * What an {@link AssetInliner} may answer besides a {@code data:} URI: a same-origin absolute path (one
     * leading {@code /}, never {@code //}) of characters that need no escaping in CSS, HTML or JSON and cannot
     * leave the path: unreserved URL characters, {@code /}, {@code %}-escapes, and a query of {@code = & ;}.
     */
    private static final Pattern SAME_ORIGIN_PATH = Pattern.compile("/(?!/)[A-Za-z0-9._~%/-]{0,1024}(\\?[A-Za-z0-9._~%=&-]{0,1024})?");

    private final Map<String, CompiledSheet> sheets;
    private final Map<String, List<CssPiece>> pieces;
    private final List<StyleWarning> warnings;

    StyleSet(Map<String, CompiledSheet> sheets, Map<String, List<CssPiece>> pieces, List<StyleWarning> warnings) {
        this.sheets = Map.copyOf(sheets);
        this.pieces = Map.copyOf(pieces);
        this.warnings = List.copyOf(warnings);
    }

    /** The public form of a compiled sheet: its CSS with package paths in {@code url()}. */
    static CompiledSheet sheetOf(String path, List<CssPiece> pieces) {
        LinkedHashSet<String> assets = new LinkedHashSet<>();
        collectAssets(pieces, assets);
        return new CompiledSheet(path, scopeClass(path), write(pieces, null), List.copyOf(assets));
    }

    private static void collectAssets(List<CssPiece> pieces, LinkedHashSet<String> assets) {
        for (CssPiece piece : pieces) {
            switch (piece) {
                case CssPiece.Asset asset -> assets.add(asset.packagePath());
                case CssPiece.Declaration declaration -> collectAssets(declaration.parts(), assets);
                case CssPiece.Text ignored -> {
                }
            }
        }
    }

    /** Writes pieces; with no inliner an asset is {@code url("/path")}, else its checked {@code data:} URI. */
    private static String write(List<CssPiece> pieces, AssetInliner inliner) {
        StringBuilder b = new StringBuilder();
        for (CssPiece piece : pieces) {
            String text = piece(piece, inliner);
            if (text != null) {
                b.append(text);
            }
        }
        return b.toString();
    }

    /** Null when a declaration's asset cannot be inlined: the declaration is left out. */
    private static String piece(CssPiece piece, AssetInliner inliner) {
        return switch (piece) {
            case CssPiece.Text text -> text.css();
            case CssPiece.Asset asset -> {
                if (inliner == null) {
                    yield "url(" + Text.cssString("/" + asset.packagePath()) + ")";
                }
                Optional<String> uri = inliner.dataUri(asset.packagePath());
                yield uri.isPresent() && isAssetAnswer(uri.get()) ? "url(" + Text.cssString(uri.get()) + ")" : null;
            }
            case CssPiece.Declaration declaration -> {
                StringBuilder b = new StringBuilder();
                for (CssPiece part : declaration.parts()) {
                    String text = piece(part, inliner);
                    if (text == null) {
                        yield "";
                    }
                    b.append(text);
                }
                yield b.toString();
            }
        };
    }

    /**
     * Whether an {@link AssetInliner}'s answer may be written into {@code url()}: a base64 {@code data:} URI of an
     * image or font type, or a same-origin path of safe characters ({@code /shell/s/…/assets/a.png}); no scheme,
     * no {@code //host}, no quote, backslash, parenthesis, space or control character.
     */
    public static boolean isAssetAnswer(String answer) {
        return INLINE_ASSET.matcher(answer).matches() || isSameOriginPath(answer);
    }

    /** Whether {@code url} is a same-origin path of safe characters only (one leading {@code /}, no scheme, no {@code //host}). */
    public static boolean isSameOriginPath(String url) {
        return SAME_ORIGIN_PATH.matcher(url).matches();
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
        return assemble(sheetPaths, null, RpxBase.VIEWPORT);
    }

    /** {@link #css(List)} with every asset {@code url()} replaced by {@code assets}' answer ({@link #isAssetAnswer}). */
    public String css(List<String> sheetPaths, AssetInliner assets) {
        return css(sheetPaths, assets, RpxBase.VIEWPORT);
    }

    /** {@link #css(List, AssetInliner)} with {@code --rpx} defined for {@code rpx} ({@link RpxBase#FRAME}: the host shell). */
    public String css(List<String> sheetPaths, AssetInliner assets, RpxBase rpx) {
        return assemble(sheetPaths, Objects.requireNonNull(assets, "assets"), Objects.requireNonNull(rpx, "rpx"));
    }

    private String assemble(List<String> sheetPaths, AssetInliner inliner, RpxBase rpx) {
        List<String> order = new ArrayList<>();
        order.add("app");
        order.addAll(sheetPaths);
        StringBuilder b = new StringBuilder(rpx.definition);
        for (String path : new LinkedHashSet<>(order)) {
            List<CssPiece> sheet = pieces.get(path);
            if (sheet != null) {
                b.append('\n').append(write(sheet, inliner));
            }
        }
        return b.toString();
    }
}
