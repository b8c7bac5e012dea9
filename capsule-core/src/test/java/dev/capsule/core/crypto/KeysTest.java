package dev.capsule.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {
    /** RFC 8410 §10.3 (private) and §10.1 (public): one Ed25519 key pair as OpenSSL writes it. */
    private static final String RFC8410_PRIVATE = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """;
    private static final String RFC8410_PUBLIC = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """;

    @Test
    void readsRfc8410KeysAndDerivesTheMatchingPublicKey() throws Exception {
        SigningKey key = SigningKey.fromPem(RFC8410_PRIVATE);
        assertThat(key.publicKey()).isEqualTo(VerifyingKey.fromPem(RFC8410_PUBLIC));
        assertThat(key.publicKey().toPem()).isEqualTo(RFC8410_PUBLIC);
        assertThat(key.toPem(SecretAccess.grant())).isEqualTo(RFC8410_PRIVATE);
    }

    @Test
    void keyIdIsSha256OfSubjectPublicKeyInfo() throws Exception {
        VerifyingKey key = VerifyingKey.fromPem(RFC8410_PUBLIC);
        byte[] der = Base64.getDecoder().decode("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
        assertThat(key.keyId().hex()).isEqualTo(Sha256.of(der).hex());
    }

    @Test
    void generatedKeyRoundTripsThroughPem() throws Exception {
        SigningKey key = SigningKey.generate();
        SigningKey again = SigningKey.fromPem(key.toPem(SecretAccess.grant()));
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(again.sign(message)).isEqualTo(key.sign(message));
        assertThat(VerifyingKey.fromPem(key.publicKey().toPem()).verify(message, key.sign(message))).isTrue();
    }

    @Test
    void verifyRejectsOtherMessageAndOtherKey() {
        SigningKey key = SigningKey.generate();
        byte[] sig = key.sign("a".getBytes(StandardCharsets.UTF_8));
        assertThat(key.publicKey().verify("b".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(SigningKey.generate().publicKey().verify("a".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(key.publicKey().verify("a".getBytes(StandardCharsets.UTF_8), new byte[63])).isFalse();
    }

    @Test
    void toStringNeverShowsSecretBytes() throws Exception {
        SigningKey key = SigningKey.fromPem(RFC8410_PRIVATE);
        String seedHex = "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842";
        assertThat(key.toString()).contains("redacted").doesNotContain(seedHex).doesNotContain("MC4CAQAw");
    }

    @Test
    void readingSecretRequiresAccessToken() {
        assertThatThrownBy(() -> SigningKey.generate().toPem(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsPublicKeyWhereSigningKeyExpected() {
        assertThatThrownBy(() -> SigningKey.fromPem(RFC8410_PUBLIC)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("BEGIN PRIVATE KEY");
    }

    @Test
    void privateKeyGivenAsPublicKeyIsNeverQuotedInTheError() {
        // One-line PEM (newlines lost in an environment variable) used to be quoted whole.
        String oneLine = RFC8410_PRIVATE.replace("\n", " ");
        assertThatThrownBy(() -> VerifyingKey.fromPem(oneLine)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("found '-----BEGIN PRIVATE KEY-----'").hasMessageNotContaining("MC4CAQAw");
    }

    @Test
    void rejectsNonEd25519Keys() {
        // A P-256 SubjectPublicKeyInfo.
        String ecPem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n"
                + "q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> VerifyingKey.fromPem(ecPem)).isInstanceOf(KeyFormatException.class).hasMessageContaining("Ed25519");
    }

    @Test
    void rejectsGarbageAndTrailingBlocks() {
        assertThatThrownBy(() -> VerifyingKey.fromPem("not a key")).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> VerifyingKey.fromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> VerifyingKey.fromPem(RFC8410_PUBLIC + RFC8410_PUBLIC)).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void rejectsSmallOrderPublicKey() {
        // The identity point (y = 1): any signature with R = identity and S = 0 would verify under it.
        byte[] identity = HexFormat.of().parseHex("0100000000000000000000000000000000000000000000000000000000000000");
        assertThatThrownBy(() -> VerifyingKey.fromRaw(identity)).isInstanceOf(KeyFormatException.class).hasMessageContaining("small-order");
    }
}
