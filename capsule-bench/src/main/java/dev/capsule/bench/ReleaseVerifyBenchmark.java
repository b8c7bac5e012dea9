package dev.capsule.bench;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.core.pkg.AppIdPattern;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.TrustedKey;
import dev.capsule.core.pkg.Verification;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.release.ReleaseFormatException;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.core.release.ReleaseVerifier;
import dev.capsule.core.release.RiskProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What launching from a verified release adds to a launch (docs/benchmarks.md): {@link ReleaseVerifier#verify} of
 * the {@link PackageBenchmark} package (2 MiB, developer-signed and platform-countersigned) released in a log of
 * {@link #LOG_ENTRIES} entries, with the client's stored checkpoint {@link #GROWTH} entries behind (so a consistency
 * proof is checked too), side by side with the anchor: plain {@link PackageVerifier#verify} of the same package with
 * the same two keys trusted.
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar ReleaseVerifyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReleaseVerifyBenchmark {
    /** A year of a busy platform: releases, rollouts and revocations of thousands of mini-programs. */
    static final int LOG_ENTRIES = 1_000_000;
    /** The client last launched a thousand entries ago. */
    static final int GROWTH = 1_000;
    private static final String APP = "com.example.bench";
    private static final String ORIGIN = "capsule.local/releases/bench";

    private Path dir;
    private byte[] signed;
    private TrustPolicy anchorPolicy;
    private ReleaseVerifier verifier;
    private ReleaseBundle bundle;
    private byte[] bundleJson;
    private ReleaseClientState state;

    @Setup(Level.Trial)
    public void setUp() throws IOException, PackageException, ReleaseFormatException {
        dir = BenchPackage.createSourceTree();
        SigningKey developer = SigningKey.generate();
        SigningKey countersign = SigningKey.generate();
        SigningKey checkpointKey = SigningKey.generate();
        signed = PackageSigner.sign(PackageSigner.sign(Packer.pack(dir), developer, Role.DEVELOPER), countersign, Role.PLATFORM);
        anchorPolicy = TrustPolicy.of(List.of(TrustedKey.forRole(developer.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.parse(APP))),
                TrustedKey.platform(countersign.publicKey()))).requiring(Role.PLATFORM);

        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        ReleaseEntry.Release release = new ReleaseEntry.Release(APP, "1.0.0", PackageReader.read(signed).digestManifestSha256(),
                developer.keyId(), Sha256.of(new byte[] {1}), Sha256.of(new byte[] {2}), "operator-1", RiskProfile.UTILITY, now);
        long releaseIndex = LOG_ENTRIES - GROWTH / 2;
        Map<NodeId, byte[]> nodes = new HashMap<>();
        CompactRange range = new CompactRange();
        byte[] entry = release.toCanonicalJson();
        for (long i = 0; i < LOG_ENTRIES; i++) {
            byte[] bytes = i == releaseIndex ? entry : ("{\"filler\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            range.append(MerkleHash.leafHash(bytes), nodes::put);
        }
        long seen = LOG_ENTRIES - GROWTH;
        String note = Checkpoint.timed(ORIGIN, LOG_ENTRIES, MerkleProofs.root(LOG_ENTRIES, nodes), now.minusSeconds(600))
                .sign(checkpointKey.publicKey(), checkpointKey::sign).encodedText();
        bundle = new ReleaseBundle(APP, "1.0.0", releaseIndex, entry, MerkleProofs.inclusionProof(releaseIndex, LOG_ENTRIES, nodes), note,
                MerkleProofs.consistencyProof(seen, LOG_ENTRIES, nodes), Optional.empty(), developer.publicKey(), signed);
        bundleJson = bundle.toJson();
        state = new ReleaseClientState(Optional.of(Checkpoint.timed(ORIGIN, seen, MerkleProofs.root(seen, nodes), now.minusSeconds(7200))),
                Map.of(), 0);
        PlatformTrust trust = PlatformTrust.of(ORIGIN, countersign.publicKey(), checkpointKey.publicKey(), SigningKey.generate().publicKey());
        verifier = new ReleaseVerifier(trust, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(24));
        if (!(anchor() instanceof Verification.Verified) || !(release() instanceof ReleaseOutcome.Verified)
                || !(parseAndRelease() instanceof ReleaseOutcome.Verified)) {
            throw new IllegalStateException("the benchmark release does not verify: " + release());
        }
        System.out.printf("%n[capsule-bench] package %,d bytes, bundle JSON %,d bytes, inclusion proof %d hashes, consistency proof %d hashes%n",
                signed.length, bundleJson.length, bundle.inclusionProof().size(), bundle.consistencyProof().size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchPackage.delete(dir);
    }

    /** The anchor: the package check a launch does anyway (read, digests, developer and platform signatures). */
    @Benchmark
    public Verification anchor() {
        return PackageVerifier.verify(signed, anchorPolicy);
    }

    /** The runtime's check of a parsed bundle: checkpoint, consistency, inclusion, entry, both signatures, rollback. */
    @Benchmark
    public ReleaseOutcome release() {
        return verifier.verify(APP, bundle, state);
    }

    /** As {@link #release()}, starting from the bundle's JSON as downloaded (base64 of the package included). */
    @Benchmark
    public ReleaseOutcome parseAndRelease() throws ReleaseFormatException {
        return verifier.verify(APP, ReleaseBundle.parse(bundleJson), state);
    }
}
