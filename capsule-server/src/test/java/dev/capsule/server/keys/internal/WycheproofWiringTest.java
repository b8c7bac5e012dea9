package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.prf.Prf;
import dev.capsule.core.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Wycheproof AES-GCM, HKDF-SHA256 and HMAC-SHA256 vectors (../shared/vectors/wycheproof) through
 * the keys module's own wiring: {@link AeadWiring} (every AEAD of the module), {@link KeyDerivation}
 * (the keystore key from the master secret) and {@link PrfWiring} (pseudonyms). Every valid case in
 * the sizes the wiring uses is accepted, every invalid one rejected; sizes the wiring refuses on
 * purpose (AES keys other than 256 bits, nonces other than 96 bits, HMAC keys other than 256 bits)
 * are refused with an error naming the size.
 */
class WycheproofWiringTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aesGcmVectorsPassThroughTheAeadWiring() throws IOException {
        int accepted = 0;
        int rejected = 0;
        int refusedSizes = 0;
        for (JsonNode group : groups("aes_gcm_test.json")) {
            int keyBits = group.get("keySize").asInt();
            int ivBits = group.get("ivSize").asInt();
            int tagBits = group.get("tagSize").asInt();
            for (JsonNode test : group.get("tests")) {
                String id = "tcId " + test.get("tcId").asInt();
                byte[] key = hex(test, "key");
                if (keyBits != 256) {
                    assertThatThrownBy(() -> AeadWiring.fromRawKey(key)).as(id)
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bits");
                    refusedSizes++;
                    continue;
                }
                Aead aead = AeadWiring.fromRawKey(key);
                byte[] iv = hex(test, "iv");
                byte[] ct = hex(test, "ct");
                byte[] tag = hex(test, "tag");
                byte[] aad = hex(test, "aad");
                if (ivBits != 96 || tagBits != 128) {
                    assertThatThrownBy(() -> AeadWiring.openParts(aead, iv, ct, tag, aad)).as(id)
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bits");
                    refusedSizes++;
                    continue;
                }
                if (test.get("result").asString().equals("invalid")) {
                    assertThatThrownBy(() -> AeadWiring.openParts(aead, iv, ct, tag, aad)).as(id)
                            .isInstanceOf(GeneralSecurityException.class);
                    rejected++;
                } else {
                    try {
                        assertThat(AeadWiring.openParts(aead, iv, ct, tag, aad)).as(id).isEqualTo(hex(test, "msg"));
                        // And the wiring's own encryption of the message opens to it (its nonce is random).
                        assertThat(aead.decrypt(aead.encrypt(hex(test, "msg"), aad), aad)).as(id).isEqualTo(hex(test, "msg"));
                    } catch (GeneralSecurityException e) {
                        throw new AssertionError(id + " is valid but was rejected", e);
                    }
                    accepted++;
                }
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(39);
        assertThat(rejected).isGreaterThanOrEqualTo(27);
        assertThat(refusedSizes).isPositive();
    }

    @Test
    void hkdfVectorsPassThroughTheKeystoreKeyDerivation() throws IOException {
        int accepted = 0;
        int rejected = 0;
        for (JsonNode group : groups("hkdf_sha256_test.json")) {
            for (JsonNode test : group.get("tests")) {
                String id = "tcId " + test.get("tcId").asInt();
                int size = test.get("size").asInt();
                byte[] ikm = hex(test, "ikm");
                byte[] salt = hex(test, "salt");
                byte[] info = hex(test, "info");
                if (test.get("result").asString().equals("invalid")) {
                    assertThatThrownBy(() -> KeyDerivation.hkdfSha256(ikm, salt, info, size)).as(id)
                            .isInstanceOf(IllegalArgumentException.class);
                    rejected++;
                } else {
                    assertThat(KeyDerivation.hkdfSha256(ikm, salt, info, size)).as(id).isEqualTo(hex(test, "okm"));
                    accepted++;
                }
            }
        }
        assertThat(accepted).isEqualTo(83);
        assertThat(rejected).isEqualTo(3);
    }

    @Test
    void hmacVectorsPassThroughThePseudonymWiring() throws IOException, GeneralSecurityException {
        int accepted = 0;
        int rejected = 0;
        int refusedSizes = 0;
        for (JsonNode group : groups("hmac_sha256_test.json")) {
            int keyBits = group.get("keySize").asInt();
            int tagBytes = group.get("tagSize").asInt() / 8;
            for (JsonNode test : group.get("tests")) {
                String id = "tcId " + test.get("tcId").asInt();
                byte[] key = hex(test, "key");
                if (keyBits != 256) {
                    assertThatThrownBy(() -> PrfWiring.fromRawKey(key)).as(id)
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bits");
                    refusedSizes++;
                    continue;
                }
                Prf prf = PrfWiring.fromRawKey(key);
                byte[] computed = Arrays.copyOf(prf.compute(hex(test, "msg"), PrfWiring.OUTPUT_BYTES_MAX), tagBytes);
                boolean matches = MessageDigest.isEqual(computed, hex(test, "tag"));
                if (test.get("result").asString().equals("invalid")) {
                    assertThat(matches).as(id + " is invalid").isFalse();
                    rejected++;
                } else {
                    assertThat(matches).as(id + " is valid").isTrue();
                    accepted++;
                }
            }
        }
        assertThat(accepted).isEqualTo(54);
        assertThat(rejected).isEqualTo(108);
        assertThat(refusedSizes).isEqualTo(12);
    }

    @Test
    void pseudonymTagsAreTheTruncatedHmacOfTheValue() throws GeneralSecurityException {
        Prf prf = PrfWiring.fromRawKey(new byte[32]);
        assertThat(prf.compute(new byte[] {1}, PrfWiring.TAG_BYTES))
                .isEqualTo(Arrays.copyOf(prf.compute(new byte[] {1}, PrfWiring.OUTPUT_BYTES_MAX), PrfWiring.TAG_BYTES));
    }

    private static Iterable<JsonNode> groups(String file) throws IOException {
        return JsonMapper.shared().readTree(Files.readAllBytes(RepoPaths.vector("wycheproof/" + file))).get("testGroups");
    }

    private static byte[] hex(JsonNode test, String field) {
        return HEX.parseHex(test.get(field).asString());
    }
}
