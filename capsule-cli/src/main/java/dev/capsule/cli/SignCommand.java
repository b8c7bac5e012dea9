package dev.capsule.cli;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.Role;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Add a signature to a package (a DSSE envelope over an in-toto statement).",
            "The package is checked first; other signatures are kept. Writes the file in place unless --out is given."})
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.capsule")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Ed25519 private key (PKCS#8 PEM).")
    Path key;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "developer",
            description = "developer (default) or platform; the role is part of what is signed.")
    String role;

    @Option(names = "--out", paramLabel = "OUT.capsule", description = "Write the signed package here instead of in place.")
    Path out;

    @Override
    public Integer call() throws CliFailure {
        Role parsedRole;
        try {
            parsedRole = Role.fromId(role);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--role: " + e.getMessage());
        }
        SigningKey signingKey = CliIo.readSigningKey(key);
        byte[] archive = CliIo.readArchive(file);
        byte[] signed;
        try {
            signed = PackageSigner.sign(archive, signingKey, parsedRole);
        } catch (PackageException e) {
            throw CliIo.rejected(e);
        }
        Path target = out == null ? file : out;
        CliIo.writeAtomically(target, signed);
        spec.commandLine().getOut().printf("signed %s as %s with key %s%n", target, parsedRole.id(), signingKey.keyId().hex());
        return ExitCode.OK;
    }
}
