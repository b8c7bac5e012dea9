package dev.capsule.core.auth.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.crypto.Sha256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodesTest {
    private final GeneratedRecoveryCodes generated = RecoveryCodes.generate();
    private final List<String> codes = generated.codes(SecretAccess.grant());
    private final List<Sha256> hashes = generated.hashes();

    @Test
    void generatesTenDistinctGroupedBase32CodesOf80Bits() {
        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}"));
        assertThat(codes).allSatisfy(code -> assertThat(RecoveryCodes.decode(code)).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(10)));
        assertThat(hashes).hasSize(10).doesNotHaveDuplicates();
        assertThat(new HashSet<>(RecoveryCodes.generate().hashes())).doesNotContainAnyElementsOf(hashes);
    }

    @Test
    void eachCodeMatchesItsOwnStoredHash() {
        for (int i = 0; i < codes.size(); i++) {
            assertThat(RecoveryCodes.verify(codes.get(i), hashes)).isEqualTo(new RecoveryOutcome.Matched(hashes.get(i)));
        }
    }

    @Test
    void inputIsNormalisedForCaseDashesAndSpaces() {
        String code = codes.get(3);
        Sha256 expected = hashes.get(3);
        for (String typed : List.of(code.toLowerCase(Locale.ROOT), code.replace("-", ""), code.replace("-", " "),
                " " + code.toLowerCase(Locale.ROOT).replace("-", " - ") + " ")) {
            assertThat(RecoveryCodes.verify(typed, hashes)).as(typed).isEqualTo(new RecoveryOutcome.Matched(expected));
        }
    }

    @Test
    void aUsedCodeNoLongerMatchesOnceTheCallerDeletesItsHash() {
        RecoveryOutcome first = RecoveryCodes.verify(codes.get(0), hashes);
        List<Sha256> remaining = new ArrayList<>(hashes);
        remaining.remove(((RecoveryOutcome.Matched) first).storedHash());

        assertThat(RecoveryCodes.verify(codes.get(0), remaining))
                .isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.NO_MATCH));
        assertThat(RecoveryCodes.verify(codes.get(1), remaining)).isEqualTo(new RecoveryOutcome.Matched(hashes.get(1)));
    }

    @Test
    void aWellFormedCodeThatWasNeverIssuedIsRejected() {
        String other = RecoveryCodes.generate().codes(SecretAccess.grant()).get(0);
        assertThat(RecoveryCodes.verify(other, hashes)).isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.NO_MATCH));
        assertThat(RecoveryCodes.verify(codes.get(0), List.of())).isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.NO_MATCH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABCD-EFGH-IJKL", "ABCD-EFGH-IJKL-MNOP-QRST", "ABCD-EFGH-IJKL-MN0P", "ABCD-EFGH-IJKL-MN1P",
            "ABCD_EFGH_IJKL_MNOP", "ABCD\tEFGH\tIJKL\tMNOP", "ÀBCD-EFGH-IJKL-MNOP"})
    void malformedInputIsRejected(String typed) {
        assertThat(RecoveryCodes.verify(typed, hashes)).isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.MALFORMED));
    }

    @Test
    void overlongAndNullInputAreRejectedWithoutWork() {
        assertThat(RecoveryCodes.verify("-".repeat(65), hashes)).isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.MALFORMED));
        assertThat(RecoveryCodes.verify(null, hashes)).isEqualTo(new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.MALFORMED));
    }

    @Test
    void moreStoredHashesThanCodesIsACallerBug() {
        List<Sha256> eleven = new ArrayList<>(hashes);
        eleven.add(RecoveryCodes.generate().hashes().get(0));
        assertThatThrownBy(() -> RecoveryCodes.verify(codes.get(0), eleven)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 10");
    }

    @Test
    void hashesAreDomainSeparatedSha256() {
        byte[] bytes = RecoveryCodes.decode(codes.get(0)).orElseThrow();
        assertThat(RecoveryCodes.hash(bytes)).isEqualTo(hashes.get(0)).isNotEqualTo(Sha256.of(bytes));
    }

    @Test
    void toStringRedactsTheCodes() {
        assertThat(generated.toString()).isEqualTo("GeneratedRecoveryCodes[10 codes, redacted]");
    }
}
