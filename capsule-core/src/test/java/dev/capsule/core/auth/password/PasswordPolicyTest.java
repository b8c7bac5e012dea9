package dev.capsule.core.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.standard();
    private static final String ACCOUNT = "alice@bank.example";

    private static PasswordCheck check(String password) {
        return POLICY.check(password, ACCOUNT);
    }

    private static PasswordCheck rejected(PasswordRule rule) {
        return new PasswordCheck.Rejected(rule);
    }

    @Test
    void aLongEnoughUncommonPasswordIsAccepted() {
        assertThat(check("violet kettle drums")).isEqualTo(new PasswordCheck.Acceptable());
        assertThat(check("tz8!pw-Lq4mE")).isEqualTo(new PasswordCheck.Acceptable());
    }

    @Test
    void shortPasswordsAreRejected() {
        assertThat(check("tz8!pw-Lq4m")).isEqualTo(rejected(PasswordRule.TOO_SHORT));
        assertThat(check("")).isEqualTo(rejected(PasswordRule.TOO_SHORT));
    }

    @Test
    void noCompositionRulesApply() {
        // All lower case, no digit, no symbol: fine if long and uncommon.
        assertThat(check("marmaladeskyline")).isEqualTo(new PasswordCheck.Acceptable());
        assertThat(check("83019476215544")).isEqualTo(new PasswordCheck.Acceptable());
    }

    @Test
    void lengthIsCountedInCodePointsAfterNfkc() {
        // 12 UTF-16 units, but e + combining acute composes to é: 11 code points.
        String decomposed = "cafe\u0301 velours";
        assertThat(decomposed).hasSize(13);
        assertThat(check("cafe\u0301 velour")).isEqualTo(rejected(PasswordRule.TOO_SHORT));
        // 12 emoji are 24 UTF-16 units but 12 characters: accepted at exactly the minimum.
        String emoji = "🦊🐙🌵🍋🚲🎻🧲🪁🦉🌋🧊🎲";
        assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(12);
        assertThat(check(emoji)).isEqualTo(new PasswordCheck.Acceptable());
        // A ligature expands under NFKC: "ﬁ" counts as two.
        assertThat(PasswordPolicy.normalize("ﬁsh")).isEqualTo("fish");
    }

    @Test
    void exactlyTheMaximumIsAcceptedAndOneMoreIsRejected() {
        String max = "correct horse battery staple ".repeat(5).substring(0, 127) + "Z";
        assertThat(max.codePointCount(0, max.length())).isEqualTo(PasswordPolicy.PASSWORD_CHARS_MAX);
        assertThat(check(max)).isEqualTo(new PasswordCheck.Acceptable());
        assertThat(check(max + "!")).isEqualTo(rejected(PasswordRule.TOO_LONG));
    }

    @Test
    void hugeInputIsTooLongWithoutNormalising() {
        assertThat(check("x".repeat(1_000_000))).isEqualTo(rejected(PasswordRule.TOO_LONG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwerty123456", "1qaz2wsx3edc", "justinbieber", "finalfantasy", "123456789abc"})
    void commonPasswordsAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.COMMON_PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QWERTY123456", "Qwerty123456", "JustinBieber", "ＱＷＥＲＴＹ１２３４５６"})
    void commonPasswordsAreRejectedIgnoringCaseAndWidth(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.COMMON_PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Password2024!", "password123456", "!!Iloveyou!!2024", "2024-sunshine-99", "Football#123456", "monkey#2024!!"})
    void commonPasswordsWithDigitsOrSymbolsAddedAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.COMMON_PASSWORD));
    }

    @Test
    void aCommonWordInsideAPassphraseIsFine() {
        assertThat(check("dragon under the bridge")).isEqualTo(new PasswordCheck.Acceptable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-alice@bank.example-pw", "Alice-likes-tea-2026", "xxALICExxyyzz"})
    void passwordsContainingTheAccountNameAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.CONTAINS_ACCOUNT_NAME));
    }

    @Test
    void veryShortAccountNamesAreNotChecked() {
        assertThat(POLICY.check("alpine meadow", "al")).isEqualTo(new PasswordCheck.Acceptable());
        assertThat(POLICY.check("alpine meadow", "alp")).isEqualTo(rejected(PasswordRule.CONTAINS_ACCOUNT_NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my capsule password", "CAPSULE-operator-7", "xxCapsulexxyy"})
    void passwordsContainingTheServiceNameAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.CONTAINS_SERVICE_NAME));
    }

    @Test
    void deploymentsCanAddServiceNames() {
        PasswordPolicy bank = new PasswordPolicy(List.of("Northwind"));
        assertThat(bank.check("northwind-vault-2026", ACCOUNT)).isEqualTo(rejected(PasswordRule.CONTAINS_SERVICE_NAME));
        assertThat(bank.check("my capsule password", ACCOUNT)).isEqualTo(rejected(PasswordRule.CONTAINS_SERVICE_NAME));
        assertThat(POLICY.check("northwind-vault-2026", ACCOUNT)).isEqualTo(new PasswordCheck.Acceptable());
        assertThatThrownBy(() -> new PasswordPolicy(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aaaaaaaaaaaa", "abcabcabcabc", "xyzzyxyzzyxyzzy", "monkeymonkey", "abcdefghijklm", "7890123456789", "zyxwvutsrqpon"})
    void repetitiveOrSequentialPasswordsAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.REPETITIVE_OR_SEQUENTIAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\there-and-there", "line\nbreak-here-x", "nul\u0000byte-here-x"})
    void controlCharactersAreRejected(String password) {
        assertThat(check(password)).isEqualTo(rejected(PasswordRule.CONTROL_CHARACTERS));
    }

    @Test
    void messagesNameTheRuleAndNeverEchoThePassword() {
        for (String password : List.of("short", "qwerty123456", "my capsule password", "abcabcabcabc", "Alice-likes-tea-2026")) {
            PasswordCheck result = check(password);
            assertThat(result).isInstanceOf(PasswordCheck.Rejected.class);
            String message = ((PasswordCheck.Rejected) result).message();
            assertThat(message).isNotBlank().doesNotContainIgnoringCase(password);
        }
        assertThat(PasswordRule.TOO_SHORT.userMessage()).isEqualTo("Use at least 12 characters.");
        assertThat(PasswordRule.TOO_LONG.userMessage()).isEqualTo("Use at most 128 characters.");
    }

    @Test
    void theShippedListHasAtLeastTenThousandLowerCaseUniqueEntries() throws Exception {
        assertThat(CommonPasswords.entries()).hasSizeGreaterThanOrEqualTo(10_000).contains("password", "qwerty123456");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                CommonPasswords.class.getResourceAsStream(CommonPasswords.RESOURCE), StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(10_000).doesNotHaveDuplicates()
                    .allMatch(line -> line.equals(line.toLowerCase(Locale.ROOT)) && !line.isBlank());
            assertThat(lines).hasSameSizeAs(CommonPasswords.entries());
        }
        assertThat(CommonPasswords.class.getResource("common-passwords.NOTICE.md")).as("source and licence notice").isNotNull();
    }
}
