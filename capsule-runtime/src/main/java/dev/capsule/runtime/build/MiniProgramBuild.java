package dev.capsule.runtime.build;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.SourceSet;
import dev.capsule.runtime.internal.ModuleCompiler;
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
 * {@code packOptions.ignore}, no hidden files), every ES module compiled to CommonJS
 * ({@link #compile}), then the package checks and the deterministic archive ({@link Packer#pack}).
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
        return new BuildResult(archive, sources.leftOut(), compiled.compiled(), pkg.app().warnings(), defaulted);
    }

    /** Files after compiling: every ES module now CommonJS; {@code compiled} names those (sorted). */
    public record Compiled(SortedMap<String, byte[]> files, List<String> compiled) {
        public Compiled {
            files = new TreeMap<>(files);
            compiled = List.copyOf(compiled);
        }
    }

    /**
     * Compiles every {@code .js} file that is an ES module to CommonJS, line for line; other files
     * (and scripts that are not UTF-8, which the runtime reads as it always has) are unchanged.
     *
     * @throws BuildException at the first script (in path order) with a syntax error or that cannot be compiled
     */
    public static Compiled compile(Map<String, byte[]> files) throws BuildException {
        SortedMap<String, byte[]> out = new TreeMap<>(files);
        List<String> compiled = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String path = e.getKey();
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
        return new Compiled(out, compiled);
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
