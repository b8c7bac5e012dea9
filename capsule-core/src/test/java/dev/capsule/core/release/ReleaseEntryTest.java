package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Release-log entries: one canonical byte form each, parsed strictly. */
class ReleaseEntryTest {
    private static final Instant TIME = Instant.parse("2026-12-06T21:50:35Z");
    private static final Sha256 DIGEST = Sha256.of(new byte[] {1});
    private static final KeyId KEY = new KeyId("ab".repeat(32));

    static List<ReleaseEntry> oneOfEach() {
        return List.of(
                new ReleaseEntry.Release("com.example.todo", "1.2.0", DIGEST, KEY, DIGEST, DIGEST, "operator-1", RiskProfile.FINANCIAL, TIME),
                new ReleaseEntry.Rollout("com.example.todo", "1.2.0", 25, true, "operator-1", TIME),
                new ReleaseEntry.Rollback("com.example.todo", "1.1.0", "1.2.0", "operator-1", TIME),
                new ReleaseEntry.Revocation(3, "com.example.todo", "1.2.0", "leaks tokens — CVE-2026-1", "officer-2", TIME),
                new ReleaseEntry.MinimumRuntime("0.9.0", "operator-1", TIME));
    }

    @Test
    void everyTypeRoundTripsThroughItsCanonicalBytes() throws Exception {
        for (ReleaseEntry entry : oneOfEach()) {
            byte[] bytes = entry.toCanonicalJson();
            assertThat(ReleaseEntry.parse(bytes)).isEqualTo(entry);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"type\":\"" + entry.type() + "\"", "\"time\":\"2026-12-06T21:50:35Z\"");
        }
    }

    @Test
    void aReleaseEntryHasTheDocumentedFieldsInCanonicalOrder() {
        String text = new String(oneOfEach().getFirst().toCanonicalJson(), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"appId\":\"com.example.todo\",\"approver\":\"operator-1\",\"developerKeyId\":\"" + KEY.hex()
                + "\",\"findingsDigest\":\"sha256:" + DIGEST.hex() + "\",\"packageDigest\":\"sha256:" + DIGEST.hex()
                + "\",\"preset\":\"financial\",\"sbomDigest\":\"sha256:" + DIGEST.hex()
                + "\",\"time\":\"2026-12-06T21:50:35Z\",\"type\":\"release\",\"version\":\"1.2.0\"}");
    }

    @Test
    void parseRefusesUnknownTypesFieldsAndNonCanonicalForms() {
        String rollout = new String(oneOfEach().get(1).toCanonicalJson(), StandardCharsets.UTF_8);
        List<String> bad = List.of(
                rollout.replace("\"type\":\"rollout\"", "\"type\":\"promotion\""),
                rollout.replace("{", "{\"extra\":1,"),
                rollout.replace("\"paused\":true,", ""),
                rollout.replace("\"paused\":true", "\"paused\":\"true\""),
                rollout.replace("\"percent\":25", "\"percent\":101"),
                rollout.replace("\"percent\":25", "\"percent\":25.0"),
                rollout.replace("2026-12-06T21:50:35Z", "2026-12-06T21:50:35.5Z"),
                rollout.replace("2026-12-06T21:50:35Z", "2026-12-06 21:50:35"),
                rollout.replace("com.example.todo", "Com.Example"),
                rollout.replace("1.2.0", "1.2"),
                rollout.replace(",", ", "),
                "{\"type\":\"rollout\"," + rollout.substring(1).replace(",\"type\":\"rollout\"", ""),
                rollout.replace("{", "{\"appId\":\"com.example.x\","),
                "[]",
                "");
        for (String text : bad) {
            assertThatThrownBy(() -> ReleaseEntry.parse(text.getBytes(StandardCharsets.UTF_8))).as(text)
                    .isInstanceOf(ReleaseFormatException.class);
        }
        String release = new String(oneOfEach().getFirst().toCanonicalJson(), StandardCharsets.UTF_8);
        for (String text : List.of(release.replace("\"preset\":\"financial\"", "\"preset\":\"games\""),
                release.replace("sha256:" + DIGEST.hex(), DIGEST.hex()),
                release.replace(KEY.hex(), "AB".repeat(32)))) {
            assertThatThrownBy(() -> ReleaseEntry.parse(text.getBytes(StandardCharsets.UTF_8))).as(text)
                    .isInstanceOf(ReleaseFormatException.class);
        }
        assertThatThrownBy(() -> ReleaseEntry.parse(new byte[ReleaseEntry.ENTRY_BYTES_MAX + 1])).isInstanceOf(ReleaseFormatException.class);
    }

    @Test
    void constructorsRefuseInvalidValues() {
        assertThatThrownBy(() -> new ReleaseEntry.Rollback("com.example.todo", "1.3.0", "1.2.0", "operator-1", TIME))
                .hasMessageContaining("lower version");
        assertThatThrownBy(() -> new ReleaseEntry.Rollout("com.example.todo", "1.2.0", -1, false, "operator-1", TIME))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReleaseEntry.Revocation(0, "com.example.todo", "1.2.0", "bad", "officer", TIME))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReleaseEntry.Revocation(1, "com.example.todo", "1.2.0", "line\nbreak", "officer", TIME))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReleaseEntry.MinimumRuntime("1.0.0", "has space", TIME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReleaseEntry.MinimumRuntime("1.0.0", "operator", TIME.plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void riskProfileCodesAreStable() {
        assertThat(List.of(RiskProfile.values()).stream().map(RiskProfile::code))
                .containsExactly("financial", "social", "utility", "content", "internal");
        assertThat(RiskProfile.fromCode("social")).isEqualTo(RiskProfile.SOCIAL);
        assertThatThrownBy(() -> RiskProfile.fromCode("SOCIAL")).hasMessageContaining("allowed: financial");
    }
}
