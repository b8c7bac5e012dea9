package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.testing.TestReleaseLog;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bundle's JSON form: round trip, strict and bounded parsing. */
class ReleaseBundleTest {
    private final TestReleaseLog log = new TestReleaseLog();
    private final SigningKey developer = SigningKey.generate();
    private final byte[] pkg = TestReleaseLog.pack("com.example.todo", "1.0.0", developer, Optional.of(log.countersignKey));

    private ReleaseBundle bundle() {
        log.append(TestReleaseLog.release("com.example.todo", "1.0.0", pkg, developer.publicKey(), TestReleaseLog.T0));
        log.append(new ReleaseEntry.Rollback("com.example.todo", "1.0.0", "1.1.0", "operator-1", TestReleaseLog.T0));
        log.append(new ReleaseEntry.MinimumRuntime("1.0.0", "operator-1", TestReleaseLog.T0));
        return log.bundle("com.example.todo", "1.0.0", 0, 3, TestReleaseLog.T0, 2, Optional.of(1L), developer.publicKey(), pkg);
    }

    @Test
    void roundTripsThroughItsJson() throws Exception {
        ReleaseBundle bundle = bundle();
        String json = new String(bundle.toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format\":\"capsule-release-bundle/1\",\"appId\":\"com.example.todo\",\"version\":\"1.0.0\",\"entryIndex\":0,");
        ReleaseBundle parsed = ReleaseBundle.parse(bundle.toJson());
        assertThat(parsed).isEqualTo(bundle);
        assertThat(parsed.rollbackEntry()).isPresent();
        assertThat(parsed.consistencyProof()).hasSize(bundle.consistencyProof().size()).isNotEmpty();
        assertThat(parsed.packageBytes()).isEqualTo(pkg);
    }

    @Test
    void refusesUnknownFieldsWrongFormatBadBase64AndOverlongProofs() {
        String json = new String(bundle().toJson(), StandardCharsets.UTF_8);
        String hash = Base64.getEncoder().encodeToString(new byte[32]);
        List<String> bad = List.of(
                json.replace("{\"format\"", "{\"extra\":1,\"format\""),
                json.replace("capsule-release-bundle/1", "capsule-release-bundle/2"),
                json.replace("\"entryIndex\":0", "\"entryIndex\":-1"),
                json.replace("\"rollbackEntry\":{", "\"rollbackEntry\":{\"x\":1,"),
                json.replaceFirst("\"inclusionProof\":\\[\"", "\"inclusionProof\":[\"!"),
                json.replaceFirst("\"inclusionProof\":\\[", "\"inclusionProof\":[\"" + Base64.getEncoder().encodeToString(new byte[31]) + "\","),
                json.replaceFirst("\"inclusionProof\":\\[", "\"inclusionProof\":[" + ("\"" + hash + "\",").repeat(64)),
                json.replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN PRIVATE KEY-----"),
                json.replace("\"appId\":\"com.example.todo\"", "\"appId\":\"../etc\""));
        for (String text : bad) {
            assertThatThrownBy(() -> ReleaseBundle.parse(text.getBytes(StandardCharsets.UTF_8))).as(text.substring(0, 80))
                    .isInstanceOf(ReleaseFormatException.class);
        }
    }

    @Test
    void refusesAPackageAboveTheLimit() {
        ReleaseBundle good = bundle();
        assertThatThrownBy(() -> new ReleaseBundle(good.appId(), good.version(), 0, good.entry(), good.inclusionProof(), good.checkpoint(),
                List.of(), Optional.empty(), good.developerKey(), new byte[ReleaseBundle.PACKAGE_BYTES_MAX + 1]))
                .hasMessageContaining("larger than " + ReleaseBundle.PACKAGE_BYTES_MAX);
    }
}
