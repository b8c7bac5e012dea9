package dev.capsule.runtime.view;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.view.wxml.Binding;
import dev.capsule.runtime.view.wxml.ComponentDecl;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.ResolvedTemplate;
import dev.capsule.runtime.view.wxml.TAttr;
import dev.capsule.runtime.view.wxml.TBlock;
import dev.capsule.runtime.view.wxml.TElement;
import dev.capsule.runtime.view.wxml.TFor;
import dev.capsule.runtime.view.wxml.TIf;
import dev.capsule.runtime.view.wxml.TInclude;
import dev.capsule.runtime.view.wxml.TNode;
import dev.capsule.runtime.view.wxml.TSlot;
import dev.capsule.runtime.view.wxml.TTemplateUse;
import dev.capsule.runtime.view.wxml.TText;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.AssetInliner;
import dev.capsule.runtime.view.wxss.StyleSet;
import dev.capsule.runtime.view.wxss.StyleWarning;
import dev.capsule.runtime.view.wxss.WxssCompiler;
import dev.capsule.runtime.view.wxss.WxssException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A package's view, compiled once: its templates ({@link TemplateSet}), its components' json
 * ({@link ComponentIndex}) and its styles ({@link StyleSet}), with what the pack warns about. The one
 * compile step that {@code capsule pack} (errors refuse, warnings are printed), the automated review, a
 * session (templates for its engine) and {@code capsule render} (the page's CSS) all use.
 *
 * <p>Security guarantees: templates and styles are parsed to data and never run; every file is read
 * from the package map given, bounded by the compilers' limits. A package whose view does not compile
 * has no view: callers refuse it (pack, review) or fail its launch.
 *
 * @param templates every {@code .wxml} parsed and linked
 * @param components each page's and component's {@code usingComponents}, generics and placeholders
 * @param styles every {@code .wxss} compiled and scoped
 * @param warnings what renders differently than in WeChat, one line each ({@code path:line:col: …}), in path order:
 *     dropped style constructs, tags that render as inert elements, attributes dropped from built-ins
 */
public record ViewPackage(TemplateSet templates, ComponentIndex components, StyleSet styles, List<String> warnings) {
    /** At most this many warnings are kept (the rest are counted in the last line). */
    public static final int WARNINGS_MAX = 200;

    public ViewPackage {
        warnings = List.copyOf(warnings);
    }

    /** Packages whose compiled view is kept for the next session of the same package ({@link #of}). */
    public static final int CACHED_PACKAGES_MAX = 16;

    // Keyed by the digest manifest's SHA-256, which names the package's exact file set; values are immutable.
    private static final Map<Sha256, Optional<ViewPackage>> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHED_PACKAGES_MAX, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Sha256, Optional<ViewPackage>> eldest) {
                    return size() > CACHED_PACKAGES_MAX;
                }
            });

    /**
     * The view of a package that was read already, compiled once and kept for the next session of the same
     * file set (at most {@link #CACHED_PACKAGES_MAX} packages; a package whose view fails is compiled again
     * each time, so the error is always reported).
     */
    public static Optional<ViewPackage> of(CapsulePackage pkg) throws WxmlException, WxssException {
        Sha256 key = pkg.digestManifestSha256();
        Optional<ViewPackage> cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, byte[]> files = new TreeMap<>();
        pkg.paths().forEach(path -> files.put(path, pkg.file(path)));
        Optional<ViewPackage> view = compile(files, pkg.app());
        CACHE.put(key, view);
        return view;
    }

    /**
     * Compiles the view of a package's files (package path → bytes), or empty when it has no {@code .wxml}
     * (a package without templates has no view and compiles nothing).
     *
     * @throws WxmlException a template or component json that does not compile (path:line:col)
     * @throws WxssException a stylesheet that does not compile (path:line:col)
     */
    public static Optional<ViewPackage> compile(Map<String, byte[]> files, AppConfig app) throws WxmlException, WxssException {
        if (files.keySet().stream().noneMatch(p -> p.endsWith(".wxml"))) {
            return Optional.empty();
        }
        TemplateSet templates = TemplateSet.compile(files);
        ComponentIndex components = ComponentIndex.resolve(files, app);
        StyleSet styles = WxssCompiler.compilePackage(files);
        List<String> warnings = new ArrayList<>();
        for (StyleWarning w : styles.warnings()) {
            warnings.add(w.toString());
        }
        new TagCheck(components, warnings).check(templates);
        return Optional.of(new ViewPackage(templates, components, styles, cap(warnings)));
    }

    /**
     * The CSS of a page: app.wxss, the page's sheet, then every component's by path (rules are scoped to
     * their sheet, so a component the page does not use adds bytes, never a match).
     */
    public String pageCss(String route, AssetSource assets) {
        return pageCss(route, assets::dataUri, StyleSet.RpxBase.VIEWPORT);
    }

    /**
     * The CSS of a page as the host shell serves it (its own URL, drawn in the shell's device frame): as
     * {@link #pageCss(String, AssetSource)}, with each asset {@code url()} what {@code urls} answers (a
     * same-origin path, {@code /shell/s/<sid>/assets/images/bg.png}, or a {@code data:} URI; see
     * {@link AssetInliner}) and 750 rpx the frame's width ({@link StyleSet#RPX_DEFINITION_IN_FRAME}: the frame
     * is an {@code inline-size} container). A name of its own, so that a lambda is never ambiguous between the two.
     */
    public String pageCssWithUrls(String route, AssetInliner urls) {
        return pageCss(route, urls, StyleSet.RpxBase.FRAME);
    }

    private String pageCss(String route, AssetInliner urls, StyleSet.RpxBase rpx) {
        List<String> sheets = new ArrayList<>(List.of(route));
        components.all().values().stream().filter(ComponentDecl::component).map(ComponentDecl::path).sorted().forEach(sheets::add);
        return styles.css(sheets, urls, rpx);
    }

    private static List<String> cap(List<String> warnings) {
        if (warnings.size() <= WARNINGS_MAX) {
            return warnings;
        }
        List<String> kept = new ArrayList<>(warnings.subList(0, WARNINGS_MAX - 1));
        kept.add("… and " + (warnings.size() - WARNINGS_MAX + 1) + " more view warnings");
        return kept;
    }

    /**
     * Tags that are neither built in nor declared as a component anywhere in the package (rendered as inert
     * elements), tags absent by decision, and attributes a built-in drops. A template may be included or
     * imported into any page, so a tag counts as declared when any json of the package (or app.json) declares it.
     */
    private record TagCheck(Set<String> declared, List<String> out) {
        // Kinds whose literal value is final as written (an image or page path is resolved against the file first).
        private static final Set<ValueKind> LITERAL_CHECKED = Set.of(ValueKind.BOOLEAN, ValueKind.NUMBER, ValueKind.ENUM,
                ValueKind.COLOR, ValueKind.LENGTH);

        TagCheck(ComponentIndex components, List<String> out) {
            this(declaredTags(components), out);
        }

        private static Set<String> declaredTags(ComponentIndex components) {
            Set<String> tags = new HashSet<>(components.appComponents().keySet());
            for (ComponentDecl d : components.all().values()) {
                tags.addAll(d.usingComponents().keySet());
                tags.addAll(d.generics().keySet());
                tags.addAll(d.placeholders().keySet());
            }
            return tags;
        }

        void check(TemplateSet templates) {
            for (String path : new TreeSet<>(templates.paths())) {
                ResolvedTemplate t = templates.page(path).orElseThrow();
                nodes(path + ".wxml", t.children());
                t.templates().values().stream().filter(v -> v.file().equals(path))
                        .forEach(v -> nodes(path + ".wxml", v.def().children()));
            }
        }

        private void nodes(String file, List<TNode> nodes) {
            for (TNode n : nodes) {
                switch (n) {
                    case TElement e -> {
                        element(file, e);
                        nodes(file, e.children());
                    }
                    case TIf i -> i.branches().forEach(b -> nodes(file, b.body()));
                    case TFor f -> nodes(file, f.body());
                    case TBlock b -> nodes(file, b.children());
                    case TText t -> { }
                    case TTemplateUse u -> { }
                    case TInclude i -> { }
                    case TSlot s -> { }
                }
            }
        }

        private void element(String file, TElement e) {
            String at = file + ":" + e.pos().line() + ":" + e.pos().col() + ": ";
            String tag = e.tag();
            if (Builtins.ABSENT.containsKey(tag)) {
                out.add(at + "<" + tag + "> is absent by decision (" + Builtins.ABSENT.get(tag) + "): rendered as an inert element");
                return;
            }
            if (!Builtins.isBuiltin(tag)) {
                if (!declared.contains(tag)) {
                    out.add(at + "<" + ViewOpException.quote(tag) + "> is neither a built-in component nor in any usingComponents:"
                            + " rendered as an inert element");
                }
                return;
            }
            for (TAttr a : e.attrs()) {
                if (a.name().equals("slot")) {
                    continue;
                }
                var rule = Builtins.attribute(tag, a.name());
                String where = file + ":" + a.pos().line() + ":" + a.pos().col() + ": ";
                if (rule.isEmpty()) {
                    out.add(where + "attribute " + ViewOpException.quote(a.name()) + " of <" + tag + "> is not supported: dropped");
                } else if (a.value() instanceof Binding.Literal l && LITERAL_CHECKED.contains(rule.get().kind())) {
                    rule.get().kind().check(l.value(), rule.get().choices(), UrlPolicy.PACKAGE_ONLY).ifPresent(why ->
                            out.add(where + "attribute " + a.name() + " of <" + tag + "> " + why + ": dropped"));
                }
            }
        }
    }
}
