package dev.capsule.bench;

import com.google.crypto.tink.Aead;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.internal.AeadWiring;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keys module's field encryption on 16 KB: AES-256-GCM from a key set made exactly as the module
 * makes its data key sets (Tink, key id prefix, random 96-bit nonce), with a {@link FieldPlace} as
 * associated data. {@code sealAndOpen} is one encryption and one decryption; compare its throughput
 * (bytes per second = 16384 / time, counted once) with {@code openssl speed -evp aes-256-gcm}, which
 * counts one direction only: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FieldEncryptionBenchmark {
    @Param("16384")
    public int bytes;

    private Aead aead;
    private byte[] plaintext;
    private byte[] sealed;
    private byte[] associatedData;

    @Setup
    public void setUp() throws GeneralSecurityException {
        aead = AeadWiring.newKeysetAead();
        plaintext = new byte[bytes];
        new SecureRandom().nextBytes(plaintext);
        associatedData = new FieldPlace("platform", "bench", "1", "value").associatedData();
        sealed = aead.encrypt(plaintext, associatedData);
    }

    @Benchmark
    public byte[] seal() throws GeneralSecurityException {
        return aead.encrypt(plaintext, associatedData);
    }

    @Benchmark
    public byte[] open() throws GeneralSecurityException {
        return aead.decrypt(sealed, associatedData);
    }

    @Benchmark
    public byte[] sealAndOpen() throws GeneralSecurityException {
        return aead.decrypt(aead.encrypt(plaintext, associatedData), associatedData);
    }
}
