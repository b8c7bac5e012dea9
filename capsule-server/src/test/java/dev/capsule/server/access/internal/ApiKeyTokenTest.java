package dev.capsule.server.access.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTokenTest {

    @Test
    void generatedTokenHasTheDocumentedFormAnd256BitSecret() {
        ApiKeyToken token = ApiKeyToken.generate();
        assertThat(token.reveal()).matches("capk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        String secret = token.reveal().substring("capk_".length() + 17);
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(token.reveal()).startsWith("capk_" + token.keyId() + "_");
    }

    @Test
    void tokensAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiKeyToken.generate().reveal())).isTrue();
        }
    }

    @Test
    void parseAcceptsExactlyTheCanonicalForm() {
        ApiKeyToken token = ApiKeyToken.generate();
        assertThat(ApiKeyToken.parse(token.reveal())).hasValueSatisfying(parsed -> {
            assertThat(parsed.keyId()).isEqualTo(token.keyId());
            assertThat(parsed.matches(token.hash())).isTrue();
        });
        String t = token.reveal();
        for (String bad : new String[] {null, "", t + "A", t.substring(1), t.toUpperCase(), t.replace("capk_", "capx_"),
                "capk_" + token.keyId().toUpperCase() + t.substring(21), t.substring(0, t.length() - 1) + "=",
                t.substring(0, t.length() - 1) + "+", " " + t}) {
            assertThat(ApiKeyToken.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void parseRefusesNonCanonicalBase64Spellings() {
        // 43 base64url characters carry 258 bits; the last character's 2 spare bits must be zero.
        String canonical = "capk_0123456789abcdef_" + "A".repeat(42) + "A";
        String spareBitsSet = "capk_0123456789abcdef_" + "A".repeat(42) + "B";
        assertThat(ApiKeyToken.parse(canonical)).isPresent();
        assertThat(ApiKeyToken.parse(spareBitsSet)).isEmpty();
    }

    @Test
    void matchesOnlyItsOwnHash() {
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKeyToken other = ApiKeyToken.generate();
        assertThat(token.matches(token.hash())).isTrue();
        assertThat(token.matches(other.hash())).isFalse();
        assertThat(token.matches(new byte[32])).isFalse();
        assertThat(token.matches(new byte[0])).isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        ApiKeyToken token = ApiKeyToken.generate();
        String secret = token.reveal().substring("capk_".length() + 17);
        assertThat(token.toString()).doesNotContain(secret).contains(token.keyId()).contains("redacted");
    }
}
