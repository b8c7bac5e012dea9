package dev.capsule.runtime.build;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.SourceSet;
import dev.capsule.runtime.internal.ModuleCompiler;
import dev.capsule.runtime.view.ViewPackage;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.WxssException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one way from a mini-program source directory to a package, as WeChat's developer tools upload
 * it: the files its upload takes ({@link Packer#collectSources}: file-type whitelist,
 * {@code packOptions.ignore}, no hidden files; {@code .ts} sources when project.config.json enables
 * WeChat's TypeScript plugin), every ES module and TypeScript source compiled to CommonJS
 * ({@link #compile}; a {@code .ts} becomes the {@code .js} beside it), then the package checks and the deterministic archive ({@link Packer#pack}).
 * {@code capsule pack}, {@code capsule run --dev DIR}, {@code capsule review DIR} and
 * {@code PackageReview.reviewDirectory} all build through here.
 *
 * <p>Security guarantees: source files are data, parsed and transformed but never run here (the
 * compiler runs in its own sandboxed context with a time budget per file); the package holds
 * exactly what runs, line for line with the sources, so a signature covers the compiled code.
 */
public final class MiniProgramBuild {
    private static final String MANIFEST = "capsule.json";

    private MiniProgramBuild() {}

    /**
     * The app id a directory without capsule.json runs under in development ({@code capsule run --dev DIR},
     * {@code capsule dev DIR}): {@code dev.local.} and the folder's name in lower-case letters and digits
     * ({@code app} when none are left).
     */
    public static String developmentAppId(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String letters = name == null ? "" : name.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return "dev.local." + (letters.isEmpty() ? "app" : letters);
    }

    /**
     * The strictest capsule.json (no network, no personal data, no dependencies) under
     * {@link #developmentAppId}: what {@link #build(Path, PackageLimits, byte[])} is given for an unmodified
     * WeChat project run in development.
     */
    public static byte[] developmentManifest(Path dir) {
        String id = developmentAppId(dir);
        return ("{\"id\":\"" + id + "\",\"version\":\"0.0.0\",\"name\":\"" + id
                + "\",\"developer\":{\"id\":\"dev\",\"name\":\"Local developer\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds {@code dir} into an unsigned package.
     *
     * @throws IOException if the directory cannot be read
     * @throws PackageException if the files break a package rule (limits, manifests)
     * @throws BuildException if a script has a syntax error or cannot be compiled
     */
    public static BuildResult build(Path dir, PackageLimits limits) throws IOException, PackageException, BuildException {
        return build(dir, limits, null);
    }

    /**
     * As {@link #build(Path, PackageLimits)}, with {@code manifestIfAbsent} as capsule.json when the
     * directory has none (an unmodified WeChat project run with {@code --dev}); null to require one.
     */
    public static BuildResult build(Path dir, PackageLimits limits, byte[] manifestIfAbsent)
            throws IOException, PackageException, BuildException {
        SourceSet sources = Packer.collectSources(dir, limits);
        SortedMap<String, byte[]> files = new TreeMap<>(sources.files());
        boolean defaulted = manifestIfAbsent != null && !files.containsKey(MANIFEST);
        if (defaulted) {
            files.put(MANIFEST, manifestIfAbsent.clone());
        }
        Compiled compiled = compile(files);
        byte[] archive = Packer.pack(compiled.files(), limits);
        CapsulePackage pkg = PackageReader.read(archive);
        List<String> warnings = new ArrayList<>(pkg.app().warnings());
        warnings.addAll(view(pkg));
        return new BuildResult(archive, sources.leftOut(), compiled.compiled(), warnings, defaulted, compiled.fromTypeScript());
    }

    /**
     * The view's pack-time check: templates and styles compile (an error refuses the build with its
     * file:line:col, as WeChat's tools refuse it), and what would render differently is warned about.
     */
    private static List<String> view(CapsulePackage pkg) throws BuildException {
        try {
            // The cached compile: `run --dev DIR` and `review DIR` launch or review this same file set next.
            return ViewPackage.of(pkg).map(ViewPackage::warnings).orElse(List.of());
        } catch (WxmlException e) {
            throw new BuildException(e.path(), e.line(), e.col(), e.detail());
        } catch (WxssException e) {
            throw new BuildException(e.path(), e.line(), e.column(), e.reason());
        }
    }

    /**
     * Files after compiling: every ES module and TypeScript source now CommonJS; {@code compiled} names the packed paths
     * (sorted), {@code fromTypeScript} those of them compiled from a {@code .ts} source (sorted).
     */
    public record Compiled(SortedMap<String, byte[]> files, List<String> compiled, List<String> fromTypeScript) {
        public Compiled {
            files = new TreeMap<>(files);
            compiled = List.copyOf(compiled);
            fromTypeScript = List.copyOf(fromTypeScript);
        }
    }

    /**
     * Compiles every {@code .js} file that is an ES module to CommonJS, and every TypeScript source ({@code .ts}, which
     * {@link Packer#collectSources} yields only when project.config.json enables WeChat's TypeScript plugin) to the
     * {@code .js} beside it, line for line; the {@code .ts} itself is not kept. Other files (and {@code .js} scripts that
     * are not UTF-8, which the runtime reads as it always has) are unchanged. {@code compiled} names the packed paths.
     *
     * @throws BuildException at the first script (in path order) with a syntax error or that cannot be compiled, or a
     *     TypeScript source with a {@code .js} of the same name beside it (which of the two would run is ambiguous)
     */
    public static Compiled compile(Map<String, byte[]> files) throws BuildException {
        SortedMap<String, byte[]> out = new TreeMap<>(files);
        List<String> compiled = new ArrayList<>();
        List<String> fromTypeScript = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String path = e.getKey();
            if (SourceSet.typeScript(path)) {
                String target = SourceSet.compiledPath(path);
                if (files.containsKey(target)) {
                    throw new BuildException(path, 1, 1, "both " + path + " and " + target + " exist: WeChat's TypeScript plugin"
                            + " compiles " + path + " to " + target + "; remove one of them");
                }
                String text = utf8(e.getValue());
                if (text == null) {
                    throw new BuildException(path, 1, 1, "the TypeScript source is not UTF-8");
                }
                out.remove(path);
                out.put(target, code(ModuleCompiler.compileTypeScript(path, text), path));
                compiled.add(target);
                fromTypeScript.add(target);
                continue;
            }
            if (!path.endsWith(".js")) {
                continue;
            }
            String text = utf8(e.getValue());
            if (text == null) {
                continue;
            }
            switch (ModuleCompiler.compile(path, text)) {
                case ModuleCompiler.Result.CommonJs c -> { }
                case ModuleCompiler.Result.Compiled c -> {
                    out.put(path, c.code().getBytes(StandardCharsets.UTF_8));
                    compiled.add(path);
                }
                case ModuleCompiler.Result.Failed f -> throw new BuildException(f.path(), f.line(), f.column(), f.message());
            }
        }
        compiled.sort(null);
        fromTypeScript.sort(null);
        return new Compiled(out, compiled, fromTypeScript);
    }

    /** A TypeScript source's compiled text: it is always compiled (never packed as it is), or the build fails. */
    private static byte[] code(ModuleCompiler.Result result, String path) throws BuildException {
        return switch (result) {
            case ModuleCompiler.Result.Compiled c -> c.code().getBytes(StandardCharsets.UTF_8);
            case ModuleCompiler.Result.Failed f -> throw new BuildException(f.path(), f.line(), f.column(), f.message());
            case ModuleCompiler.Result.CommonJs c -> throw new IllegalStateException("a TypeScript source is always compiled: " + path);
        };
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
