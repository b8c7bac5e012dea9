package dev.capsule.server.releases;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.PackageApproved;
import dev.capsule.server.registry.PackageVersionId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry side of an approval for the releases tests, which run without the registry module's upload and
 * review: approved versions held here (real developer-signed packages built from examples/todo), and
 * {@link #approve} publishing {@link PackageApproved} in a transaction exactly as the registry's approval does.
 * Registered only by {@link Config} (never by component scanning), as {@code @Primary}, so that beside the registry
 * module's own {@link ApprovedPackages} these tests still read their own versions and no other test sees this one.
 */
class TestRegistry implements ApprovedPackages {
    static final SigningKey DEVELOPER = SigningKey.generate();

    private final Map<PackageVersionId, ApprovedPackage> approved = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    TestRegistry(ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    /** A developer-signed package of examples/todo under {@code app} and {@code version}. */
    static byte[] developerSigned(String app, String version) throws Exception {
        SortedMap<String, byte[]> files = new java.util.TreeMap<>(Packer.collectSources(Path.of("../examples/todo"), PackageLimits.DEFAULTS).files());
        String manifest = new String(files.get("capsule.json"), StandardCharsets.UTF_8)
                .replace("\"com.example.todo\"", "\"" + app + "\"").replace("\"1.0.0\"", "\"" + version + "\"");
        files.put("capsule.json", manifest.getBytes(StandardCharsets.UTF_8));
        return PackageSigner.sign(Packer.pack(files, PackageLimits.DEFAULTS), DEVELOPER, Role.DEVELOPER);
    }

    /** Records {@code app version} as approved and publishes the approval in a transaction (as the registry does). */
    PackageVersionId approve(String app, String version, OperatorId approver) throws Exception {
        byte[] pkg = developerSigned(app, version);
        PackageVersionId id = PackageVersionId.random();
        Sha256 digest = PackageReader.read(pkg, PackageLimits.DEFAULTS).digestManifestSha256();
        approved.put(id, new ApprovedPackage(id, MiniProgramId.of(app), version, pkg, digest, DEVELOPER.publicKey(),
                Sha256.of(("sbom " + app + version).getBytes(StandardCharsets.UTF_8)),
                Sha256.of(("findings " + app + version).getBytes(StandardCharsets.UTF_8)), RiskProfile.UTILITY, Instant.now()));
        transactions.executeWithoutResult(status -> events.publishEvent(
                new PackageApproved(id, MiniProgramId.of(app), version, approver, RiskProfile.UTILITY)));
        return id;
    }

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        TestRegistry testRegistry(ApplicationEventPublisher events, TransactionTemplate transactions) {
            return new TestRegistry(events, transactions);
        }
    }

    static OperatorId someApprover() {
        return OperatorId.of(UUID.randomUUID());
    }

    @Override
    public java.util.Optional<ApprovedPackage> find(PackageVersionId id) {
        return java.util.Optional.ofNullable(approved.get(id));
    }

    @Override
    public List<ApprovedVersion> approvedVersions(MiniProgramId app) {
        return approved.values().stream().filter(a -> a.app().equals(app))
                .sorted(Comparator.comparing(a -> dev.capsule.core.manifest.SemanticVersion.parse(a.version())))
                .map(a -> new ApprovedVersion(a.id(), a.version(), a.preset(), a.approvedAt())).toList();
    }

    /** Every app approved here belongs to one verified test organisation. */
    @Override
    public java.util.Optional<Developer> developerOf(MiniProgramId app) {
        return approved.values().stream().anyMatch(a -> a.app().equals(app))
                ? java.util.Optional.of(new Developer(DEVELOPER_NAME, true)) : java.util.Optional.empty();
    }

    static final String DEVELOPER_NAME = "Example Test Organisation";
}
