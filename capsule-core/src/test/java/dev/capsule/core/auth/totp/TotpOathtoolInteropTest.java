package dev.capsule.core.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SecretAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Interoperability: Capsule's codes against Debian's {@code oathtool} (OATH Toolkit), an independent
 * implementation, for fresh random secrets at fixed times. Fails (never skips) when oathtool is missing.
 */
class TotpOathtoolInteropTest {
    private static final long PROCESS_SECONDS_MAX = 10;
    private static final long[] TIMES = {59, 1_111_111_109, 1_234_567_890, 1_700_000_000, 1_798_765_432, 2_000_000_000, 20_000_000_000L};

    @Test
    void operatorCodesMatchOathtool() throws Exception {
        for (int round = 0; round < 3; round++) {
            TotpSecret secret = TotpSecret.generate();
            for (long time : TIMES) {
                String expected = oathtool("--totp", "--base32", "--now=@" + time, secret.base32(SecretAccess.grant()));
                assertThat(TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, Instant.ofEpochSecond(time)))
                        .as("SHA-1, 6 digits, 30 s at " + time).isEqualTo(expected);
            }
        }
    }

    @Test
    void otherAlgorithmsAndLengthsMatchOathtool() throws Exception {
        // oathtool takes a hex key for SHA-256/512; the key lengths are the RFC's (32 and 64 bytes), random here.
        record Variant(TotpAlgorithm algorithm, String oathName, int keyBytes, int digits, int period) {}
        List<Variant> variants = List.of(
                new Variant(TotpAlgorithm.SHA1, "sha1", 20, 8, 30),
                new Variant(TotpAlgorithm.SHA256, "sha256", 32, 8, 30),
                new Variant(TotpAlgorithm.SHA512, "sha512", 64, 7, 60));
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (Variant v : variants) {
            byte[] key = new byte[v.keyBytes()];
            random.nextBytes(key);
            TotpSecret secret = TotpSecret.fromBytes(key);
            TotpParameters parameters = new TotpParameters(v.algorithm(), v.digits(), v.period(), 0);
            for (long time : TIMES) {
                String expected = oathtool("--totp=" + v.oathName(), "--digits=" + v.digits(), "--time-step-size=" + v.period() + "s",
                        "--now=@" + time, HexFormat.of().formatHex(key));
                assertThat(TotpGenerator.codeAt(secret, parameters, Instant.ofEpochSecond(time)))
                        .as(v + " at " + time).isEqualTo(expected);
            }
        }
    }

    private static String oathtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("oathtool");
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("oathtool is not installed (Debian package oathtool); .ci/run installs it,"
                    + " or run: apt-get install -y oathtool", e);
        }
        if (!process.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("oathtool did not finish in " + PROCESS_SECONDS_MAX + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new AssertionError("oathtool failed (exit " + process.exitValue() + "): " + output);
        }
        return output;
    }
}
