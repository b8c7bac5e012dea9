package dev.capsule.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /.well-known/capsule-keys}: public, the signing keys with their ids, and in the OpenAPI document. */
@CapsuleServerTest
class WellKnownKeysTest {
    @Autowired TestHttps https;
    @Autowired PlatformSigner signer;

    @Test
    void anyoneGetsEverySigningPublicKeyWithItsId() throws Exception {
        HttpResponse<String> response = https.get("/.well-known/capsule-keys");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        List<String> purposes = new ArrayList<>();
        for (JsonNode key : TestHttps.json(response).get("keys")) {
            VerifyingKey publicKey = VerifyingKey.fromPem(key.get("publicKeyPem").asString());
            assertThat(key.get("keyId").asString()).isEqualTo(publicKey.keyId().hex());
            assertThat(key.get("algorithm").asString()).isEqualTo("Ed25519");
            assertThat(key.get("createdAt").asString()).isNotBlank();
            String purpose = key.get("purpose").asString();
            purposes.add(purpose);
            if (key.get("primary").asBoolean()) {
                assertThat(publicKey).isEqualTo(signer.primary(SigningPurpose.fromCode(purpose)).key());
            }
            if (purpose.equals("audit-checkpoint")) {
                checkNoteVerifierKey(key.get("noteVerifierKey").asString(), "capsule.local/audit/", publicKey);
            } else if (purpose.equals("release-checkpoint")) {
                checkNoteVerifierKey(key.get("noteVerifierKey").asString(), "capsule.local/releases/", publicKey);
            } else {
                assertThat(key.get("noteVerifierKey").isNull()).isTrue();
            }
        }
        assertThat(purposes).contains("package-countersignature", "audit-checkpoint", "revocation-list", "release-checkpoint");
    }

    @Test
    void theEndpointIsInTheOpenApiDocument() {
        HttpResponse<String> openapi = https.get("/api/openapi.json");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(openapi).get("paths").has("/.well-known/capsule-keys")).isTrue();
    }

    /** C2SP signed-note vkey: name+hex(SHA-256(name || 0x0A || 0x01 || key)[0:4])+base64(0x01 || key). */
    private static void checkNoteVerifierKey(String vkey, String originPrefix, VerifyingKey key) throws Exception {
        // The name has no "+" and the hash is hex; the base64 key may contain "+".
        String[] parts = vkey.split("\\+", 3);
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).startsWith(originPrefix);
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        assertThat(typed[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(typed, 1, typed.length)).isEqualTo(key.raw());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(parts[0].getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(typed);
        assertThat(parts[1]).isEqualTo(HexFormat.of().formatHex(sha256.digest(), 0, 4));
    }
}
