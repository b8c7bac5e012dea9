package dev.capsule.core.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator verifier: ±1 step window, each code accepted once, malformed input refused quietly. */
class TotpVerifierTest {
    private static final TotpParameters OPERATOR = TotpParameters.OPERATOR;
    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    private static final long STEP = NOW.getEpochSecond() / 30;
    private static final OptionalLong NONE = OptionalLong.empty();

    // Fixed secrets and time, so the test is deterministic (no chance collisions between codes).
    private final TotpSecret secret = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    private final TotpSecret otherSecret = TotpSecret.fromBase32("KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU");
    private final TotpVerifier verifier = new TotpVerifier(OPERATOR, InstantSource.fixed(NOW));

    private String codeFor(long step) {
        return TotpGenerator.code(secret, OPERATOR, step);
    }

    @Test
    void verifyAcceptsTheCurrentCodeAndReturnsItsStep() {
        assertThat(verifier.verify(secret, codeFor(STEP), NONE)).isEqualTo(new TotpOutcome.Accepted(STEP));
    }

    @Test
    void verifyAcceptsOneStepEitherSide() {
        assertThat(verifier.verify(secret, codeFor(STEP - 1), NONE)).isEqualTo(new TotpOutcome.Accepted(STEP - 1));
        assertThat(verifier.verify(secret, codeFor(STEP + 1), NONE)).isEqualTo(new TotpOutcome.Accepted(STEP + 1));
    }

    @Test
    void verifyRejectsCodesOutsideTheWindow() {
        for (long step : new long[] {STEP - 2, STEP + 2, STEP - 100}) {
            String code = codeFor(step);
            assertThat(code).as("precondition: no collision with the window").isNotIn(codeFor(STEP - 1), codeFor(STEP), codeFor(STEP + 1));
            assertThat(verifier.verify(secret, code, NONE))
                    .isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.NO_MATCH));
        }
    }

    @Test
    void verifyRejectsReusedCode() {
        String code = codeFor(STEP);
        TotpOutcome first = verifier.verify(secret, code, NONE);
        assertThat(first).isEqualTo(new TotpOutcome.Accepted(STEP));

        TotpOutcome again = verifier.verify(secret, code, OptionalLong.of(((TotpOutcome.Accepted) first).step()));

        assertThat(again).isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.REPLAYED));
    }

    @Test
    void verifyRejectsAnOlderCodeOnceANewerOneWasAccepted() {
        assertThat(verifier.verify(secret, codeFor(STEP - 1), OptionalLong.of(STEP)))
                .isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.REPLAYED));
        assertThat(verifier.verify(secret, codeFor(STEP), OptionalLong.of(STEP + 1)))
                .isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.REPLAYED));
    }

    @Test
    void verifyAcceptsTheNextStepAfterAnAcceptedOne() {
        assertThat(verifier.verify(secret, codeFor(STEP + 1), OptionalLong.of(STEP)))
                .isEqualTo(new TotpOutcome.Accepted(STEP + 1));
    }

    @Test
    void verifyRejectsACodeForAnotherSecret() {
        String code = TotpGenerator.code(otherSecret, OPERATOR, STEP);
        assertThat(code).as("precondition: no collision with the window").isNotIn(codeFor(STEP - 1), codeFor(STEP), codeFor(STEP + 1));
        assertThat(verifier.verify(secret, code, NONE)).isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.NO_MATCH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12a456", " 12345", "123 456", "12345\n",
            "１２３４５６", "٣٣٣٣٣٣", "-12345", "+12345", "123456789012345678901234567890"})
    void verifyRejectsMalformedCodesWithoutAnException(String code) {
        assertThat(verifier.verify(secret, code, NONE)).isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.MALFORMED));
    }

    @Test
    void verifyRejectsANullCodeAsMalformed() {
        assertThat(verifier.verify(secret, null, NONE)).isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.MALFORMED));
    }

    @Test
    void verifyFollowsTheInjectedClock() {
        String code = codeFor(STEP);
        TotpVerifier later = new TotpVerifier(OPERATOR, InstantSource.fixed(NOW.plusSeconds(90)));
        assertThat(code).as("precondition: no collision with the window").isNotIn(codeFor(STEP + 2), codeFor(STEP + 3), codeFor(STEP + 4));
        assertThat(later.verify(secret, code, NONE)).isEqualTo(new TotpOutcome.Rejected(TotpOutcome.Reason.NO_MATCH));
    }

    @Test
    void verifyNeverAcceptsStepsBeforeT0() {
        TotpVerifier atEpoch = new TotpVerifier(OPERATOR, InstantSource.fixed(Instant.ofEpochSecond(10)));
        assertThat(atEpoch.verify(secret, codeFor(0), NONE)).isEqualTo(new TotpOutcome.Accepted(0));
        assertThat(atEpoch.verify(secret, codeFor(1), OptionalLong.of(0))).isEqualTo(new TotpOutcome.Accepted(1));
        assertThatThrownBy(() -> TotpGenerator.code(secret, OPERATOR, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codesAreZeroPaddedToTheirLength() {
        // RFC 6238 vector 1111111109 (SHA-1, 8 digits) is 07081804: the leading zero must survive.
        TotpSecret rfc = TotpSecret.fromBytes("12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        TotpParameters eight = new TotpParameters(TotpAlgorithm.SHA1, 8, 30, 0);
        assertThat(TotpGenerator.codeAt(rfc, eight, Instant.ofEpochSecond(1111111109))).isEqualTo("07081804");
        // and in 6 digits it is the last six
        assertThat(TotpGenerator.codeAt(rfc, OPERATOR, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    }
}
