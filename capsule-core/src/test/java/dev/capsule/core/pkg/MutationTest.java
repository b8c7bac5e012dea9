package dev.capsule.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.testing.RepoPaths;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random mutations of a valid signed package: each is either accepted with exactly the
 * original content, or rejected with a reason. No exception escapes and nothing hangs.
 */
class MutationTest {
    private static final int MUTATIONS = 10_000;
    private static final long SEED = 20261124L;
    private static final long MUTATION_MILLIS_MAX = 2_000;

    @Test
    void randomMutationsAreAcceptedUnchangedOrRejectedWithReason() throws Exception {
        Signed signed = Signed.example("weather");
        byte[] original = signed.archive();
        TrustPolicy policy = signed.policy();
        CapsulePackage reference = signed.reference();
        Random random = new Random(SEED);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int acceptedUnchanged = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutant = mutate(original, random);
            long start = System.nanoTime();
            Verification outcome;
            try {
                outcome = PackageVerifier.verify(mutant, policy);
            } catch (Throwable t) {
                throw new AssertionError("mutation " + i + " (seed " + SEED + ") escaped as " + t, t);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("mutation %d took too long", i).isLessThan(MUTATION_MILLIS_MAX);
            switch (outcome) {
                case Verification.Verified v -> {
                    assertSameContent(reference, v.pkg(), i);
                    acceptedUnchanged++;
                }
                case Verification.Rejected r -> {
                    assertThat(r.message()).as("mutation %d message", i).isNotBlank();
                    reasons.merge(r.reason(), 1, Integer::sum);
                }
            }
        }
        System.out.printf("mutations: %d accepted unchanged, rejected by reason %s%n", acceptedUnchanged, reasons);
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum() + acceptedUnchanged).isEqualTo(MUTATIONS);
    }

    @Test
    void entryLevelMutationsReachTheManifestAndSignatureChecks() throws Exception {
        // Byte-level mutations mostly stop at the CRC. These mutate an entry's inflated bytes and write
        // a well-formed archive again, so the digest manifest, JSON and signature layers are attacked.
        Signed signed = Signed.example("todo");
        byte[] original = signed.archive();
        TrustPolicy policy = signed.policy();
        CapsulePackage reference = signed.reference();
        Random random = new Random(SEED + 1);
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        for (int i = 0; i < MUTATIONS / 5; i++) {
            int mutation = i;
            byte[] mutant = TestPackages.rewrite(original, entries -> {
                String name = List.copyOf(entries.keySet()).get(random.nextInt(entries.size()));
                byte[] data = entries.get(name);
                entries.put(name, data.length == 0 ? new byte[] {1} : mutate(data, random));
            });
            Verification outcome;
            try {
                outcome = PackageVerifier.verify(mutant, policy);
            } catch (Throwable t) {
                throw new AssertionError("entry mutation " + mutation + " escaped as " + t, t);
            }
            switch (outcome) {
                case Verification.Verified v -> assertSameContent(reference, v.pkg(), mutation);
                case Verification.Rejected r -> reasons.merge(r.reason(), 1, Integer::sum);
            }
        }
        System.out.printf("entry mutations rejected by reason %s%n", reasons);
        assertThat(reasons).containsKeys(Reason.DIGEST_MISMATCH, Reason.MALFORMED_METADATA);
    }

    /** A signed example, the policy that trusts its key, and its verified content to compare with. */
    private record Signed(byte[] archive, TrustPolicy policy, CapsulePackage reference) {
        static Signed example(String name) throws Exception {
            SigningKey key = SigningKey.generate();
            byte[] archive = PackageSigner.sign(Packer.pack(RepoPaths.example(name)), key, Role.DEVELOPER);
            TrustPolicy policy = TrustPolicy.trustingForEveryAppId(List.of(key.publicKey()));
            return new Signed(archive, policy, ((Verification.Verified) PackageVerifier.verify(archive, policy)).pkg());
        }
    }

    private static void assertSameContent(CapsulePackage expected, CapsulePackage actual, int mutation) {
        if (!expected.paths().equals(actual.paths())) {
            fail("mutation " + mutation + " was accepted with different files");
        }
        for (String path : expected.paths()) {
            if (!Arrays.equals(expected.file(path), actual.file(path))) {
                fail("mutation " + mutation + " was accepted with different content in " + path);
            }
        }
    }

    /** One of several mutation kinds: flip bits, overwrite bytes, insert, delete, truncate, duplicate a range. */
    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int kind = random.nextInt(7);
        int at = random.nextInt(in.length);
        switch (kind) {
            case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> {
                for (int n = 1 + random.nextInt(8), j = 0; j < n; j++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                byte[] insert = new byte[1 + random.nextInt(16)];
                random.nextBytes(insert);
                out = concat(Arrays.copyOf(in, at), insert, Arrays.copyOfRange(in, at, in.length));
            }
            case 3 -> {
                int len = Math.min(1 + random.nextInt(64), in.length - at);
                out = concat(Arrays.copyOf(in, at), Arrays.copyOfRange(in, at + len, in.length));
            }
            case 4 -> out = Arrays.copyOf(in, at);
            case 5 -> {
                int len = Math.min(1 + random.nextInt(256), in.length - at);
                int to = random.nextInt(in.length);
                out = concat(Arrays.copyOf(in, to), Arrays.copyOfRange(in, at, at + len), Arrays.copyOfRange(in, to, in.length));
            }
            default -> {
                // Interesting values in a little-endian 16- or 32-bit field: sizes, offsets and counts.
                int[] interesting = {0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x8000, 1000, 1001};
                int value = interesting[random.nextInt(interesting.length)];
                int width = random.nextBoolean() ? 2 : 4;
                for (int b = 0; b < width && at + b < out.length; b++) {
                    out[at + b] = (byte) (value >>> (8 * b));
                }
            }
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
