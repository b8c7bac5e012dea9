package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.release.PlatformTrust.Purpose;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform trust file: strict text, every purpose present, each key bound to one purpose. */
class PlatformTrustTest {
    private static final String ORIGIN = "capsule.local/releases/0b6f2a4e";
    private final VerifyingKey counter = SigningKey.generate().publicKey();
    private final VerifyingKey counterNext = SigningKey.generate().publicKey();
    private final VerifyingKey checkpoint = SigningKey.generate().publicKey();
    private final VerifyingKey revocations = SigningKey.generate().publicKey();

    private static String b64(VerifyingKey key) {
        return Base64.getEncoder().encodeToString(key.spki());
    }

    private String file() {
        return "capsule-platform-trust/1\norigin " + ORIGIN + "\npackage-countersignature " + b64(counter) + "\npackage-countersignature "
                + b64(counterNext) + "\nrelease-checkpoint " + b64(checkpoint) + "\nrevocation-list " + b64(revocations) + "\n";
    }

    private static PlatformTrust parse(String text) throws ReleaseFormatException {
        return PlatformTrust.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesKeysByPurposeAndFormatsTheSameText() throws Exception {
        PlatformTrust trust = parse(file());
        assertThat(trust.origin()).isEqualTo(ORIGIN);
        assertThat(trust.keys(Purpose.PACKAGE_COUNTERSIGNATURE)).containsExactly(counter, counterNext);
        assertThat(trust.keys(Purpose.RELEASE_CHECKPOINT)).containsExactly(checkpoint);
        assertThat(trust.keys(Purpose.REVOCATION_LIST)).containsExactly(revocations);
        assertThat(trust.format()).isEqualTo(file());
    }

    @Test
    void refusesEveryDeviation() {
        String good = file();
        List<String> bad = List.of(
                good.replace("capsule-platform-trust/1", "capsule-platform-trust/2"),
                good.substring(0, good.length() - 1),
                good.replace("origin " + ORIGIN + "\n", ""),
                good + "origin other\n",
                good.replace("release-checkpoint " + b64(checkpoint) + "\n", ""),
                good + "audit-checkpoint " + b64(checkpoint) + "\n",
                good + "\n",
                good.replace("origin " + ORIGIN, "origin  " + ORIGIN),
                good.replace("origin " + ORIGIN, "origin bad+origin"),
                good.replace(b64(revocations), b64(revocations).replace("=", "")),
                good.replace(b64(revocations), "MCowBQYDK2VwAyEA"),
                // One key for two purposes: a revocation-list key must never count as a checkpoint key.
                good.replace(b64(revocations), b64(checkpoint)),
                good + "revocation-list " + b64(revocations) + "\n");
        for (String text : bad) {
            assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(ReleaseFormatException.class);
        }
        assertThatThrownBy(() -> PlatformTrust.parse(new byte[PlatformTrust.FILE_BYTES_MAX + 1])).isInstanceOf(ReleaseFormatException.class);
        assertThatThrownBy(() -> parse("capsule-platform-trust/1\norigin " + ORIGIN + "\nrelease-checkpoint " + b64(checkpoint)
                + "\nrevocation-list " + b64(revocations) + "\n")).hasMessageContaining("package-countersignature");
    }

    @Test
    void aKeyCannotServeTwoPurposes() {
        assertThatThrownBy(() -> new PlatformTrust(ORIGIN, Map.of(Purpose.PACKAGE_COUNTERSIGNATURE, List.of(counter),
                Purpose.RELEASE_CHECKPOINT, List.of(counter), Purpose.REVOCATION_LIST, List.of(revocations))))
                .hasMessageContaining("one purpose");
    }
}
