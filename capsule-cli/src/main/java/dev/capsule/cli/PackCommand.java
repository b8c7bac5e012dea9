package dev.capsule.cli;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.LeftOut;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackagePaths;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.BuildResult;
import dev.capsule.runtime.build.MiniProgramBuild;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Build a mini-program directory as WeChat's developer tools upload it and write an unsigned .capsule package.",
            "Only WeChat's uploaded file types are packed; hidden files, node_modules, the cloud-function folder and",
            "project.config.json packOptions.ignore are left out; ES modules are compiled to CommonJS line for line, and so are",
            "TypeScript sources (.ts, to the .js beside them) when project.config.json setting.useCompilerPlugins has \"typescript\".",
            "The output is deterministic."})
final class PackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Mini-program source directory (with capsule.json and app.json).")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "FILE.capsule", description = "Package file to write.")
    Path out;

    @Option(names = "--list", description = "List every packed file (marking compiled ES modules and TypeScript sources) and every file left out with its reason.")
    boolean list;

    @Override
    public Integer call() throws CliFailure {
        BuildResult built;
        CapsulePackage pkg;
        try {
            built = MiniProgramBuild.build(dir, PackageLimits.DEFAULTS);
            pkg = PackageReader.read(built.archive());
        } catch (PackageException e) {
            throw CliIo.rejected(e);
        } catch (BuildException e) {
            throw CliFailure.rejected(e.getMessage());
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + dir + ": " + CliIo.describe(e));
        }
        CliIo.writeAtomically(out, built.archive());
        PrintWriter o = spec.commandLine().getOut();
        if (list) {
            Set<String> compiled = new HashSet<>(built.compiled());
            Set<String> fromTypeScript = new HashSet<>(built.fromTypeScript());
            for (String path : pkg.paths()) {
                String how = fromTypeScript.contains(path) ? "  (compiled from TypeScript " + PackagePaths.printable(typeScriptSource(path)) + ")"
                        : compiled.contains(path) ? "  (ES module compiled to CommonJS)" : "";
                o.println("packed    " + PackagePaths.printable(path) + how);
            }
            for (LeftOut left : built.leftOut()) {
                o.println("left out  " + left.printablePath() + "  (" + left.why().description() + ")");
            }
        }
        for (String warning : built.warnings()) {
            spec.commandLine().getErr().println("warning: " + SafeText.escape(warning));
        }
        String fromTypeScript = built.fromTypeScript().isEmpty() ? "" : ", " + built.fromTypeScript().size() + " of them from TypeScript";
        o.printf("packed %s %s: %d files (%d ES modules compiled%s), %d bytes -> %s%n", pkg.manifest().id(), pkg.manifest().version(),
                pkg.paths().size(), built.compiled().size(), fromTypeScript, built.archive().length, out);
        if (!built.leftOut().isEmpty()) {
            o.println("left out " + built.leftOut().size() + ": " + byReason(built) + (list ? "" : " (--list names them)"));
        }
        return ExitCode.OK;
    }

    /** The TypeScript source a packed {@code .js} was compiled from: beside it, same name. */
    private static String typeScriptSource(String jsPath) {
        return jsPath.substring(0, jsPath.length() - ".js".length()) + ".ts";
    }

    /** "3 file type not uploaded, 1 hidden", in the order of {@link LeftOut.Why}. */
    private static String byReason(BuildResult built) {
        Map<LeftOut.Why, Long> counts = new EnumMap<>(LeftOut.Why.class);
        built.leftOut().forEach(l -> counts.merge(l.why(), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().description()).collect(Collectors.joining(", "));
    }
}
