package dev.capsule.cli;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.crypto.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Create an Ed25519 signing key.",
            "Writes KEY (PKCS#8 PEM, mode 600) and KEY.pub (PEM) and prints the key id.",
            "Existing files are never overwritten."})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "KEY", description = "Private key file to create; the public key goes to KEY.pub.")
    Path out;

    @Override
    public Integer call() throws CliFailure {
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        for (Path p : new Path[] {out, pub}) {
            if (Files.exists(p)) {
                throw CliFailure.usage(p + " already exists; refusing to overwrite a key");
            }
        }
        SigningKey key = SigningKey.generate();
        try {
            writePrivate(out, key.toPem(SecretAccess.grant()));
            Files.writeString(pub, key.publicKey().toPem(), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw CliFailure.usage(e.getFile() + " already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw new CliFailure(ExitCode.REJECTED, "cannot write key: " + CliIo.describe(e));
        }
        spec.commandLine().getOut().println(key.keyId().hex());
        return ExitCode.OK;
    }

    /** Creates the file with mode 600 from the start, so the key is never readable by others. */
    private static void writePrivate(Path file, String pem) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
