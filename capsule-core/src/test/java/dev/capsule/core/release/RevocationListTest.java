package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.dsse.DsseEnvelope;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.RevocationOutcome.Reason;
import dev.capsule.core.testing.TestReleaseLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The signed revocation list: purpose-bound signature, no replay of an older list, freshness, minimum runtime. */
class RevocationListTest {
    private static final Instant ISSUED = TestReleaseLog.T0;
    private static final Instant NOW = ISSUED.plus(Duration.ofMinutes(10));
    private static final Duration AGE_MAX = Duration.ofHours(24);
    private static final SemanticVersion RUNTIME = SemanticVersion.parse("1.4.0");

    private final TestReleaseLog platform = new TestReleaseLog();

    private static RevocationList list(long sequence, Optional<SemanticVersion> minimum) {
        return new RevocationList(TestReleaseLog.ORIGIN, sequence, ISSUED, ISSUED.plus(RevocationList.VALIDITY), minimum,
                List.of(new RevocationList.Revoked("com.example.todo", "1.2.0", "steals tokens", ISSUED.minusSeconds(60))));
    }

    private byte[] signed(RevocationList list, SigningKey key) {
        return list.sign(key.publicKey(), key::sign).toJson();
    }

    private RevocationOutcome verify(byte[] envelope, long seen, Instant now) {
        return RevocationList.verify(envelope, platform.trust(), seen, now, AGE_MAX, RUNTIME);
    }

    private static void assertRejected(RevocationOutcome outcome, Reason reason, String part) {
        assertThat(outcome).isInstanceOfSatisfying(RevocationOutcome.Rejected.class, r -> {
            assertThat(r.reason()).as(r.message()).isEqualTo(reason);
            assertThat(r.message()).contains(part);
        });
    }

    @Test
    void aFreshListSignedByTheRevocationListKeyVerifiesAndNamesTheRevokedVersions() {
        RevocationOutcome outcome = verify(signed(list(5, Optional.empty()), platform.revocationKey), 5, NOW);
        assertThat(outcome).isInstanceOfSatisfying(RevocationOutcome.Verified.class, v -> {
            assertThat(v.list()).isEqualTo(list(5, Optional.empty()));
            assertThat(v.list().revocation("com.example.todo", "1.2.0")).map(RevocationList.Revoked::reason).contains("steals tokens");
            assertThat(v.list().revocation("com.example.todo", "1.1.0")).isEmpty();
        });
    }

    @Test
    void aListSignedByAPlatformKeyOfAnotherPurposeOrAlteredIsRefused() {
        for (SigningKey wrong : List.of(platform.checkpointKey, platform.countersignKey, SigningKey.generate())) {
            assertRejected(verify(signed(list(5, Optional.empty()), wrong), 0, NOW), Reason.SIGNATURE, "revocation-list key");
        }
        DsseEnvelope good = list(5, Optional.empty()).sign(platform.revocationKey.publicKey(), platform.revocationKey::sign);
        byte[] emptied = new String(good.payload(), StandardCharsets.UTF_8).replaceAll("\"revoked\":\\[.*\\]", "\"revoked\":[]")
                .getBytes(StandardCharsets.UTF_8);
        DsseEnvelope altered = new DsseEnvelope(good.payloadType(), emptied, good.signatures());
        assertRejected(verify(altered.toJson(), 0, NOW), Reason.SIGNATURE, "revocation-list key");
        DsseEnvelope retyped = new DsseEnvelope("application/json", good.payload(), good.signatures());
        assertRejected(verify(retyped.toJson(), 0, NOW), Reason.MALFORMED, "payload type");
    }

    @Test
    void aLowerSequenceThanSeenIsAReplay() {
        byte[] five = signed(list(5, Optional.empty()), platform.revocationKey);
        assertRejected(verify(five, 6, NOW), Reason.SEQUENCE_ROLLBACK, "lower than 6");
        assertThat(verify(five, 5, NOW)).isInstanceOf(RevocationOutcome.Verified.class);
    }

    @Test
    void anExpiredOrTooOldOrFutureListIsRefused() {
        byte[] envelope = signed(list(5, Optional.empty()), platform.revocationKey);
        assertRejected(verify(envelope, 0, ISSUED.plus(RevocationList.VALIDITY)), Reason.EXPIRED, "expired");
        assertRejected(RevocationList.verify(envelope, platform.trust(), 0, ISSUED.plus(Duration.ofHours(2)), Duration.ofHours(1), RUNTIME),
                Reason.TOO_OLD, "more than PT1H ago");
        assertRejected(verify(envelope, 0, ISSUED.minus(Duration.ofMinutes(6))), Reason.TOO_OLD, "in the future");
    }

    @Test
    void aListOfAnotherPlatformIsRefused() {
        RevocationList other = new RevocationList("capsule.local/releases/other", 5, ISSUED, ISSUED.plus(RevocationList.VALIDITY),
                Optional.empty(), List.of());
        assertRejected(verify(signed(other, platform.revocationKey), 0, NOW), Reason.ORIGIN, "capsule.local/releases/other");
    }

    @Test
    void aRuntimeBelowThePlatformMinimumIsRefused() {
        assertRejected(verify(signed(list(5, Optional.of(SemanticVersion.parse("1.5.0"))), platform.revocationKey), 0, NOW),
                Reason.RUNTIME_BELOW_MINIMUM, "at least 1.5.0");
        assertThat(verify(signed(list(5, Optional.of(SemanticVersion.parse("1.4.0"))), platform.revocationKey), 0, NOW))
                .isInstanceOf(RevocationOutcome.Verified.class);
    }

    @Test
    void payloadParsingIsStrictAndSigningChecksTheSigner() throws Exception {
        RevocationList list = list(5, Optional.empty());
        String payload = new String(list.payload(), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"format\":\"capsule-revocations/1\"", "\"minimumRuntime\":null", "\"issued\":\"2026-12-06T12:00:00Z\"");
        assertThat(RevocationList.parsePayload(list.payload())).isEqualTo(list);
        for (String bad : List.of(payload.replace("\"minimumRuntime\":null,", ""), payload.replace("{\"format\"", "{\"x\":1,\"format\""),
                payload.replace("capsule-revocations/1", "capsule-revocations/2"), payload.replace("\"sequence\":5", "\"sequence\":0"),
                payload.replace("\"reason\":\"steals tokens\"", "\"reason\":\"a\\nb\""))) {
            assertThatThrownBy(() -> RevocationList.parsePayload(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(ReleaseFormatException.class);
        }
        SigningKey other = SigningKey.generate();
        assertThatThrownBy(() -> list.sign(platform.revocationKey.publicKey(), other::sign)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RevocationList(TestReleaseLog.ORIGIN, 1, ISSUED, ISSUED.plus(Duration.ofDays(8)), Optional.empty(), List.of()))
                .hasMessageContaining("at most 7 days");
    }
}
