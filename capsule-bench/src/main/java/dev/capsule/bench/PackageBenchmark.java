package dev.capsule.bench;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 * Verifying and packing a package just below the 2 MiB compressed limit (docs/benchmarks.md).
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar PackageBenchmark}. Throughput in
 * MB/s is the signed package size (printed at setup) divided by the average verify time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PackageBenchmark {
    private Path dir;
    private byte[] signed;
    private TrustPolicy policy;

    @Setup(Level.Trial)
    public void setUp() throws IOException, PackageException {
        dir = BenchPackage.createSourceTree();
        byte[] unsigned = Packer.pack(dir);
        SigningKey key = SigningKey.generate();
        signed = PackageSigner.sign(unsigned, key, Role.DEVELOPER);
        policy = TrustPolicy.trustingForEveryAppId(List.of(key.publicKey()));
        if (!(PackageVerifier.verify(signed, policy) instanceof Verification.Verified)) {
            throw new IllegalStateException("the benchmark package does not verify: " + PackageVerifier.verify(signed, policy));
        }
        if (signed.length > PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX) {
            throw new IllegalStateException("the benchmark package is over the limit: " + signed.length + " bytes");
        }
        System.out.printf("%n[capsule-bench] unsigned package %,d bytes, signed package %,d bytes (limit %,d)%n",
                unsigned.length, signed.length, PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchPackage.delete(dir);
    }

    /** Full host-side check: strict ZIP read, CRC-32 and SHA-256 of every file, manifests, Ed25519. */
    @Benchmark
    public Verification verify() {
        return PackageVerifier.verify(signed, policy);
    }

    /** Walk the tree, read the files, validate manifests, digest, deflate, and re-read the archive. */
    @Benchmark
    public byte[] pack() throws IOException, PackageException {
        return Packer.pack(dir);
    }
}
