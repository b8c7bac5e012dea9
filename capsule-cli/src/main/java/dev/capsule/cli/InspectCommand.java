package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.HostName;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSignature;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import dev.capsule.core.text.SafeText;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a package's manifest, files, digests, signatures and sizes.",
            "The archive is fully checked. Without --trust, signatures are only listed; with --trust (as 'capsule verify'),",
            "they are verified too, including each key's app-id binding, and a rejection exits 1 after showing the package."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.capsule")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    TrustOptions trust = new TrustOptions();

    @Override
    public Integer call() throws CliFailure {
        TrustPolicy policy = trust.given() ? trust.policy() : null;
        CapsulePackage pkg;
        try {
            pkg = PackageReader.read(CliIo.readArchive(file));
        } catch (PackageException e) {
            throw CliIo.rejected(e);
        }
        Optional<Verification> verification = Optional.ofNullable(policy).map(p -> PackageVerifier.verify(pkg, p));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(SafeJson.line(toJson(pkg, verification)));
        } else {
            printText(pkg, verification, out);
        }
        if (verification.orElse(null) instanceof Verification.Rejected r) {
            throw CliFailure.rejected("rejected (" + r.reason().code() + "): " + r.message());
        }
        return ExitCode.OK;
    }

    /** Whether a signature verified under the policy (false when no policy was given or the package was rejected). */
    private static boolean verified(PackageSignature s, Optional<Verification> verification) {
        return verification.orElse(null) instanceof Verification.Verified v && v.trusted().contains(s);
    }

    private static ObjectNode toJson(CapsulePackage pkg, Optional<Verification> verification) {
        CapsuleManifest m = pkg.manifest();
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("id", m.id()).put("version", m.version()).put("name", m.name());
        root.putObject("developer").put("id", m.developer().id()).put("name", m.developer().name());
        ObjectNode network = root.putObject("network");
        hosts(network.putArray("request"), m.network().request());
        hosts(network.putArray("uploadFile"), m.network().uploadFile());
        hosts(network.putArray("downloadFile"), m.network().downloadFile());
        hosts(network.putArray("connectSocket"), m.network().connectSocket());
        ArrayNode privacy = root.putArray("privacy");
        m.privacy().forEach(p -> {
            ObjectNode entry = privacy.addObject().put("data", p.data()).put("purpose", p.purpose());
            p.apis().forEach(entry.putArray("apis")::add);
        });
        ArrayNode pages = root.putArray("pages");
        pkg.app().pages().forEach(pages::add);
        root.put("archiveBytes", pkg.archiveBytes()).put("uncompressedBytes", pkg.uncompressedBytes());
        root.put("manifestSha256", pkg.digestManifestSha256().hex());
        ArrayNode sigs = root.putArray("signatures");
        for (PackageSignature s : pkg.signatures()) {
            sigs.addObject().put("role", s.role().id()).put("keyId", s.keyId().hex()).put("verified", verified(s, verification));
        }
        verification.ifPresent(v -> {
            ObjectNode node = root.putObject("verification");
            switch (v) {
                case Verification.Verified ok -> node.put("ok", true);
                case Verification.Rejected r -> node.put("ok", false).put("reason", r.reason().code()).put("message", r.message());
            }
        });
        ArrayNode files = root.putArray("files");
        pkg.digestManifest().digests().forEach((path, digest) ->
                files.addObject().put("path", path).put("size", pkg.fileSize(path)).put("sha256", digest.hex()));
        return root;
    }

    private static void hosts(ArrayNode array, List<HostName> hosts) {
        hosts.forEach(h -> array.add(h.toString()));
    }

    private static void printText(CapsulePackage pkg, Optional<Verification> verification, PrintWriter out) {
        CapsuleManifest m = pkg.manifest();
        out.printf("%s %s  \"%s\" by %s (%s)%n", m.id(), m.version(), m.name(), m.developer().name(), m.developer().id());
        out.printf("size:      %d bytes compressed, %d bytes uncompressed, %d files%n",
                pkg.archiveBytes(), pkg.uncompressedBytes(), pkg.paths().size());
        out.printf("pages:     %s%n", String.join(", ", pkg.app().pages()));
        out.printf("network:   request=%s uploadFile=%s downloadFile=%s connectSocket=%s%n",
                m.network().request(), m.network().uploadFile(), m.network().downloadFile(), m.network().connectSocket());
        out.printf("privacy:   %s%n", m.privacy().isEmpty() ? "none declared"
                : String.join("; ", m.privacy().stream().map(p -> p.data() + " via " + String.join(",", p.apis()) + ": " + p.purpose()).toList()));
        out.printf("manifest:  sha256 %s%n", pkg.digestManifestSha256().hex());
        if (pkg.signatures().isEmpty()) {
            out.println("signatures: none (unsigned)");
        } else if (verification.isEmpty()) {
            out.println("signatures (listed, not verified; add --trust KEY.pub:APP_IDS to verify):");
            pkg.signatures().forEach(s -> out.printf("  %-9s key %s%n", s.role().id(), s.keyId().hex()));
        } else {
            out.println("signatures:");
            pkg.signatures().forEach(s -> out.printf("  %-9s key %s  %s%n", s.role().id(), s.keyId().hex(),
                    verified(s, verification) ? "verified" : "not relied on"));
        }
        verification.ifPresent(v -> out.println(switch (v) {
            case Verification.Verified ok -> "trust:     verified";
            case Verification.Rejected r -> "trust:     REJECTED (" + r.reason().code() + "): " + SafeText.escape(r.message());
        }));
        out.println("files:");
        pkg.digestManifest().digests().forEach((path, digest) -> out.printf("  %s %8d  %s%n", digest.hex(), pkg.fileSize(path), path));
    }
}
