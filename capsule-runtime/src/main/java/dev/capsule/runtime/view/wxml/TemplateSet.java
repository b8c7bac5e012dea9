package dev.capsule.runtime.view.wxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every template of a package, parsed and linked once: each {@code .wxml} file parsed, its
 * {@code import}s (templates only, not transitive, as WeChat), {@code include}s and {@code wxs src}
 * resolved to package paths, include cycles refused, {@code .wxs} files collected.
 *
 * <p>References are package paths: {@code ./a}, {@code ../a} and {@code a} relative to the file,
 * {@code /a} from the package root, the extension optional. Imports are not transitive, so no import
 * cycle can loop; an include cycle would, and is refused. A template that uses itself through
 * {@code is} is bounded when it is instantiated (the engine's depth limit), not here, since {@code is}
 * may be computed.
 *
 * <p>Security guarantees: only files of the package are read; each file is bounded
 * ({@link #FILE_BYTES_MAX}, {@link WxmlParser}'s limits) and so is their number ({@link #FILES_MAX});
 * missing targets, non-package references and include cycles are refused with a position.
 */
public final class TemplateSet {
    /** Bytes of one {@code .wxml} or {@code .wxs} file. */
    public static final int FILE_BYTES_MAX = 1 << 20;
    /** {@code .wxml} files in one package. */
    public static final int FILES_MAX = 5_000;

    private static final String WXML = ".wxml";
    private static final String WXS = ".wxs";

    private final Map<String, ResolvedTemplate> files;
    private final Map<String, String> wxsFiles;

    private TemplateSet(Map<String, ResolvedTemplate> files, Map<String, String> wxsFiles) {
        this.files = Map.copyOf(files);
        this.wxsFiles = Map.copyOf(wxsFiles);
    }

    /** Parses and links every {@code .wxml} of the package (by package path). */
    public static TemplateSet compile(Map<String, byte[]> packageFiles) throws WxmlException {
        Map<String, WxmlFile> parsed = new TreeMap<>();
        Map<String, String> wxs = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : new TreeMap<>(packageFiles).entrySet()) {
            String path = f.getKey();
            if (path.endsWith(WXML)) {
                if (parsed.size() >= FILES_MAX) {
                    throw new WxmlException(path, 0, 0, "a package has at most " + FILES_MAX + " .wxml files");
                }
                parsed.put(path, WxmlParser.parse(path, PackageText.utf8(path, f.getValue(), FILE_BYTES_MAX)));
            } else if (path.endsWith(WXS)) {
                wxs.put(path, PackageText.utf8(path, f.getValue(), FILE_BYTES_MAX));
            }
        }
        Map<String, WxmlFile> linked = new TreeMap<>();
        Map<String, List<String>> includes = new HashMap<>();
        for (WxmlFile file : parsed.values()) {
            List<String> inc = new ArrayList<>();
            linked.put(file.path(), link(file, parsed.keySet(), wxs.keySet(), inc));
            includes.put(file.path(), inc);
        }
        refuseIncludeCycles(includes);
        Map<String, ResolvedTemplate> out = new HashMap<>();
        for (WxmlFile file : linked.values()) {
            String key = PackageText.stripExt(file.path(), WXML);
            Map<String, ResolvedTemplate.VisibleTemplate> visible = new LinkedHashMap<>();
            for (ImportRef imp : file.imports()) {
                WxmlFile imported = linked.get(imp.src() + WXML);
                imported.templates().forEach((name, def) -> visible.put(name, new ResolvedTemplate.VisibleTemplate(imp.src(), def)));
            }
            file.templates().forEach((name, def) -> visible.put(name, new ResolvedTemplate.VisibleTemplate(key, def)));
            out.put(key, new ResolvedTemplate(key, file.children(), visible, file.wxs()));
        }
        return new TemplateSet(out, wxs);
    }

    /** The file {@code pathWithoutExt + ".wxml"}, resolved; empty when the package has none. */
    public Optional<ResolvedTemplate> page(String pathWithoutExt) {
        return Optional.ofNullable(files.get(pathWithoutExt));
    }

    /** The package's {@code .wxs} files by package path, as text. */
    public Map<String, String> wxsFiles() {
        return wxsFiles;
    }

    /** The paths (without extension) of every template file. */
    public Set<String> paths() {
        return files.keySet();
    }

    // ---- linking ----

    private static String target(WxmlFile file, String src, Pos pos, String what, String ext, Set<String> existing) throws WxmlException {
        String path = PackageText.resolve(file.path(), src).map(p -> p.endsWith(ext) ? p : p + ext).orElseThrow(
                () -> new WxmlException(file.path(), pos, what + " src " + quote(src) + " is not a package path"));
        if (!existing.contains(path)) {
            throw new WxmlException(file.path(), pos, what + " src " + quote(src) + " names " + path + ", which the package does not have");
        }
        return path;
    }

    private static String quote(String s) {
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "…" : s) + "'";
    }

    private static WxmlFile link(WxmlFile file, Set<String> wxmlPaths, Set<String> wxsPaths, List<String> includes) throws WxmlException {
        List<ImportRef> imports = new ArrayList<>();
        for (ImportRef imp : file.imports()) {
            String path = target(file, imp.src(), imp.pos(), "import", WXML, wxmlPaths);
            imports.add(new ImportRef(PackageText.stripExt(path, WXML), imp.pos()));
        }
        List<WxsModuleDef> modules = new ArrayList<>();
        for (WxsModuleDef m : file.wxs()) {
            modules.add(m.src() == null ? m : new WxsModuleDef(m.module(), target(file, m.src(), m.pos(), "wxs", WXS, wxsPaths), null, m.pos()));
        }
        Linker linker = new Linker(file, wxmlPaths, includes);
        Map<String, TemplateDef> templates = new LinkedHashMap<>();
        for (TemplateDef def : file.templates().values()) {
            templates.put(def.name(), new TemplateDef(def.name(), linker.nodes(def.children(), def.pos()), def.pos()));
        }
        return new WxmlFile(file.path(), linker.nodes(file.children(), new Pos(1, 1)), templates, imports, modules);
    }

    /** Rewrites each {@link TInclude} to its target's package path (without extension). */
    private record Linker(WxmlFile file, Set<String> wxmlPaths, List<String> includes) {
        List<TNode> nodes(List<TNode> in, Pos near) throws WxmlException {
            List<TNode> out = new ArrayList<>(in.size());
            for (TNode n : in) {
                out.add(node(n, near));
            }
            return out;
        }

        TNode node(TNode n, Pos near) throws WxmlException {
            return switch (n) {
                case TInclude(String src) -> {
                    String path = target(file, src, near, "include", WXML, wxmlPaths);
                    includes.add(path);
                    yield new TInclude(PackageText.stripExt(path, WXML));
                }
                case TElement e -> new TElement(e.tag(), e.attrs(), e.events(), e.dataset(), e.marks(), e.cls(), e.style(), e.id(),
                        nodes(e.children(), e.pos()), e.pos());
                case TIf(List<TIf.Branch> branches) -> {
                    List<TIf.Branch> out = new ArrayList<>();
                    for (TIf.Branch b : branches) {
                        out.add(new TIf.Branch(b.cond(), nodes(b.body(), near)));
                    }
                    yield new TIf(out);
                }
                case TFor f -> new TFor(f.items(), f.item(), f.index(), f.key(), nodes(f.body(), near));
                case TBlock(List<TNode> children) -> new TBlock(nodes(children, near));
                case TText t -> t;
                case TTemplateUse u -> u;
                case TSlot s -> s;
            };
        }
    }

    private static void refuseIncludeCycles(Map<String, List<String>> includes) throws WxmlException {
        Set<String> done = new HashSet<>();
        for (String start : new TreeMap<>(includes).keySet()) {
            List<String> stack = new ArrayList<>();
            visit(start, includes, done, stack, new HashSet<>());
        }
    }

    private static void visit(String file, Map<String, List<String>> includes, Set<String> done, List<String> stack, Set<String> onStack)
            throws WxmlException {
        if (done.contains(file)) {
            return;
        }
        if (onStack.contains(file)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(file), stack.size()));
            cycle.add(file);
            throw new WxmlException(file, 0, 0, "include cycle: " + String.join(" -> ", cycle));
        }
        stack.add(file);
        onStack.add(file);
        for (String next : includes.getOrDefault(file, List.of())) {
            visit(next, includes, done, stack, onStack);
        }
        stack.removeLast();
        onStack.remove(file);
        done.add(file);
    }
}
