package dev.capsule.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LengthPrefixedTest {
    @Test
    void differentSplitsOfTheSameTextEncodeDifferently() {
        assertThat(LengthPrefixed.encode("ab", "c")).isNotEqualTo(LengthPrefixed.encode("a", "bc"));
        assertThat(LengthPrefixed.encode("a", "")).isNotEqualTo(LengthPrefixed.encode("a"));
    }

    @Test
    void decodeReturnsExactlyThePartsEncoded() {
        byte[] encoded = LengthPrefixed.encode(new byte[] {1, 2}, new byte[0]);
        assertThat(LengthPrefixed.decode(encoded, 2)).hasValueSatisfying(parts -> {
            assertThat(parts.get(0)).containsExactly(1, 2);
            assertThat(parts.get(1)).isEmpty();
        });
    }

    @Test
    void decodeRefusesTrailingTruncatedOrOverlongInput() {
        byte[] encoded = LengthPrefixed.encode(new byte[] {1, 2}, new byte[] {3});
        assertThat(LengthPrefixed.decode(encoded, 1)).isEmpty();
        assertThat(LengthPrefixed.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1), 2)).isEmpty();
        assertThat(LengthPrefixed.decode(new byte[] {(byte) 0xff, 0, 0, 0}, 1)).isEmpty();
        assertThat(LengthPrefixed.decode(new byte[] {0, 0, 0, 9, 1}, 1)).isEmpty();
    }
}
