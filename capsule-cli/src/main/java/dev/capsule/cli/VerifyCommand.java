package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.pkg.PackageSignature;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that a package is intact and signed by a trusted key.",
            "With --json, the outcome is one JSON object on stdout; the error line still goes to stderr.",
            "Exit 0 only if every file matches the signed digest manifest and a trusted key signed it",
            "(in the required role, if one is given); otherwise exit 1 with the reason."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.capsule")
    Path file;

    @Mixin
    TrustOptions trust = new TrustOptions();

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws CliFailure {
        TrustPolicy policy = policy();
        byte[] archive;
        try {
            archive = CliIo.readArchive(file);
        } catch (CliFailure e) {
            if (json && e.exitCode() == ExitCode.REJECTED) {
                printJsonRejection("archive-too-large", e.getMessage());
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        return switch (PackageVerifier.verify(archive, policy)) {
            case Verification.Verified v -> {
                if (json) {
                    ObjectNode root = StrictJson.mapper().createObjectNode();
                    root.put("ok", true).put("id", v.pkg().manifest().id()).put("version", v.pkg().manifest().version());
                    ArrayNode sigs = root.putArray("signatures");
                    v.trusted().forEach(s -> signatureJson(sigs, s, true));
                    v.untrusted().forEach(s -> signatureJson(sigs, s, false));
                    out.println(SafeJson.line(root));
                } else {
                    out.printf("verified %s %s: %s%n", v.pkg().manifest().id(), v.pkg().manifest().version(),
                            String.join(", ", v.trusted().stream().map(s -> s.role().id() + " signature by " + s.keyId().shortForm()).toList()));
                }
                yield ExitCode.OK;
            }
            case Verification.Rejected r -> {
                if (json) {
                    printJsonRejection(r.reason().code(), r.message());
                }
                throw CliFailure.rejected("rejected (" + r.reason().code() + "): " + r.message());
            }
        };
    }

    private TrustPolicy policy() throws CliFailure {
        return trust.policy();
    }

    private void printJsonRejection(String code, String message) {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("ok", false).put("reason", code).put("message", message);
        spec.commandLine().getOut().println(SafeJson.line(root));
    }

    private static void signatureJson(ArrayNode sigs, PackageSignature s, boolean trusted) {
        sigs.addObject().put("role", s.role().id()).put("keyId", s.keyId().hex()).put("trusted", trusted);
    }
}
