package dev.capsule.cli;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Validate a mini-program directory and write an unsigned .capsule package.",
            "Hidden files and project.config.json packOptions.ignore are left out; the output is deterministic."})
final class PackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Mini-program source directory (with capsule.json and app.json).")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "FILE.capsule", description = "Package file to write.")
    Path out;

    @Override
    public Integer call() throws CliFailure {
        byte[] archive;
        CapsulePackage pkg;
        try {
            archive = Packer.pack(dir);
            pkg = PackageReader.read(archive);
        } catch (PackageException e) {
            throw CliIo.rejected(e);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + dir + ": " + CliIo.describe(e));
        }
        CliIo.writeAtomically(out, archive);
        spec.commandLine().getOut().printf("packed %s %s: %d files, %d bytes -> %s%n",
                pkg.manifest().id(), pkg.manifest().version(), pkg.paths().size(), archive.length, out);
        return ExitCode.OK;
    }
}
