package dev.capsule.bench;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
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
import java.util.zip.CRC32;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where {@link PackageBenchmark#verify()} spends its time, on the same package: the keyless read
 * (ZIP checks, CRC-32, SHA-256, manifests), the signature check alone, and the two hashing floors
 * (SHA-256 and CRC-32 of every file's bytes, nothing else).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VerifyBreakdownBenchmark {
    private Path dir;
    private byte[] signed;
    private TrustPolicy policy;
    private CapsulePackage pkg;
    private byte[][] files;

    @Setup(Level.Trial)
    public void setUp() throws IOException, PackageException {
        dir = BenchPackage.createSourceTree();
        SigningKey key = SigningKey.generate();
        signed = PackageSigner.sign(Packer.pack(dir), key, Role.DEVELOPER);
        policy = TrustPolicy.trustingForEveryAppId(List.of(key.publicKey()));
        pkg = PackageReader.read(signed);
        files = pkg.paths().stream().map(pkg::file).toArray(byte[][]::new);
        if (!(PackageVerifier.verify(pkg, policy) instanceof Verification.Verified)) {
            throw new IllegalStateException("the benchmark package does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        BenchPackage.delete(dir);
    }

    /** Everything verify does except Ed25519. */
    @Benchmark
    public CapsulePackage read() throws PackageException {
        return PackageReader.read(signed);
    }

    /** Ed25519 and policy checks on an already read package. */
    @Benchmark
    public Verification signaturesOnly() {
        return PackageVerifier.verify(pkg, policy);
    }

    /** Floor: SHA-256 of every file, as the digest-manifest check computes it. */
    @Benchmark
    public void sha256Files(Blackhole bh) {
        for (byte[] f : files) {
            bh.consume(Sha256.of(f));
        }
    }

    /** Floor: CRC-32 of every file, as the ZIP reader checks it. */
    @Benchmark
    public void crc32Files(Blackhole bh) {
        for (byte[] f : files) {
            CRC32 crc = new CRC32();
            crc.update(f);
            bh.consume(crc.getValue());
        }
    }
}
