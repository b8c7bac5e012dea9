package dev.capsule.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 4648 base32: the §10 test vectors, and strict decoding. */
class Base32Test {

    @ParameterizedTest(name = "BASE32(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "f|MY======",
            "fo|MZXQ====",
            "foo|MZXW6===",
            "foob|MZXW6YQ=",
            "fooba|MZXW6YTB",
            "foobar|MZXW6YTBOI======"})
    void matchesRfc4648Section10Vectors(String plain, String padded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        String unpadded = padded.replace("=", "");

        assertThat(Base32.encode(bytes)).isEqualTo(unpadded);
        assertThat(Base32.decode(padded)).isEqualTo(bytes);
        assertThat(Base32.decode(unpadded)).isEqualTo(bytes);
    }

    @Test
    void roundTripsRandomDataOfEveryLength() {
        SecureRandom random = new SecureRandom();
        for (int length = 0; length <= 70; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String text = Base32.encode(data);
            assertThat(text).matches("[A-Z2-7]*");
            assertThat(Base32.decode(text)).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"my======", "MZXW6ytb", "MZXW6YT1", "MZXW6YT8", "MZX 6YTB", "MZX-6YTB", "MZXW6YT\n", "MZXW6YTÉ"})
    void decodeRejectsCharactersOutsideTheAlphabet(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid character at position");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY=====", "MY=======", "MZXW6Y==", "MZXW6YTB========", "========", "MZXQ===", "MZXW6YQ==", "MZXW6YQ=========="})
    void decodeRejectsWrongPadding(String text) {
        assertThatThrownBy(() -> Base32.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeRejectsDataAfterPadding() {
        assertThatThrownBy(() -> Base32.decode("MY==A==="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data after padding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "ABC", "ABCDEF", "ABCDEFGHA"})
    void decodeRejectsLengthsThatAreNotWholeBytes(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a whole number of bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZ", "MZ======", "MZXR", "MZXW7", "MZXW6YR", "MZXW6YTBOJ"})
    void decodeRejectsNonZeroTrailingBits(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-zero unused bits");
    }

    @Test
    void decodeErrorsNeverEchoTheInput() {
        String secretish = "SECRETSECRETSECRET1";
        assertThatThrownBy(() -> Base32.decode(secretish))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("SECRET");
    }
}
