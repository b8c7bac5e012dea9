package dev.capsule.runtime.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The text measures: credential shapes found where they are, not elsewhere, in linear time. */
class SignalsTest {
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    @Test
    void aJwtIsFoundInsideTextButNotInsideAWordOrWhenASegmentIsMissing() {
        assertThat(Signals.containsJwt(JWT)).isTrue();
        assertThat(Signals.containsJwt("Authorization: Bearer " + JWT + " end")).isTrue();
        assertThat(Signals.containsJwt("eyJ-eyJ-" + JWT)).isTrue();
        assertThat(Signals.containsJwt("x" + JWT)).isFalse();
        assertThat(Signals.containsJwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0")).isFalse();
        assertThat(Signals.containsJwt("eyJhbGciOiJIUzI1NiJ9.abc.dozjgNryP4J3jVmNHl0w5N")).isFalse();
        assertThat(Signals.credential(JWT).rule()).isEqualTo(Rule.SECRET_JWT);
    }

    @Test
    void craftedStringsCannotStallTheCredentialScan() {
        // Quadratic scans of these take minutes; linear ones milliseconds.
        String hyphens = "eyJ-".repeat(250_000);
        String words = " -----BEGIN A".repeat(80_000);
        String stripe = "-sk_live_".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(Signals.credential(hyphens)).isNull();
            assertThat(Signals.credential(words)).isNull();
            assertThat(Signals.credential(stripe)).isNull();
        });
    }

    @Test
    void entropySeparatesRandomTablesFromWords() {
        assertThat(Signals.entropy("")).isZero();
        assertThat(Signals.entropy("aaaa")).isZero();
        assertThat(Signals.entropy("abcd")).isEqualTo(2.0);
        assertThat(Signals.entropy(ReviewFixtures.randomBase64(1, 400))).isGreaterThan(Signals.TABLE_ENTROPY_BITS_MIN);
        assertThat(Signals.entropy("alphabravocharliedeltaechofoxtrotgolfhotelindiajuliett")).isLessThan(Signals.TABLE_ENTROPY_BITS_MIN);
    }

    @Test
    void aNamedSecretNeedsASecretNameLengthDigitsLettersAndEntropy() {
        assertThat(Signals.namedSecret("apiKey", "q8ZfK2mW9xPv4LtR7nYc")).isTrue();
        assertThat(Signals.namedSecret("label", "q8ZfK2mW9xPv4LtR7nYc")).isFalse();
        assertThat(Signals.namedSecret("apiKey", "q8ZfK2mW9x")).isFalse();
        assertThat(Signals.namedSecret("apiKey", "todo-items-cache-name")).isFalse();
        assertThat(Signals.namedSecret("apiKey", "q8ZfK2mW 9xPv4LtR7nYc")).isFalse();
        assertThat(Signals.namedSecret("password", "1111111111111111a")).isFalse();
    }
}
