package dev.capsule.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Capsule's Ed25519 wiring ({@link VerifyingKey}) against Wycheproof's ed25519_test.json: every
 * valid case accepted, every invalid case rejected (including malleable signatures with S ≥ L).
 */
class Ed25519WycheproofTest {

    @Test
    void everyWycheproofCaseGivesTheExpectedResult() throws Exception {
        JsonNode root = JsonMapper.shared().readTree(Files.readAllBytes(RepoPaths.vector("wycheproof/ed25519_test.json")));
        HexFormat hex = HexFormat.of();
        int valid = 0;
        int invalid = 0;
        for (JsonNode group : root.get("testGroups")) {
            VerifyingKey key = VerifyingKey.fromRaw(hex.parseHex(group.get("publicKey").get("pk").stringValue()));
            for (JsonNode test : group.get("tests")) {
                String result = test.get("result").stringValue();
                boolean accepted = key.verify(hex.parseHex(test.get("msg").stringValue()), hex.parseHex(test.get("sig").stringValue()));
                String label = "tcId " + test.get("tcId").intValue() + " (" + test.get("comment").stringValue() + ")";
                switch (result) {
                    case "valid" -> {
                        assertThat(accepted).as(label).isTrue();
                        valid++;
                    }
                    case "invalid" -> {
                        assertThat(accepted).as(label).isFalse();
                        invalid++;
                    }
                    default -> throw new AssertionError(label + ": unexpected result " + result);
                }
            }
        }
        assertThat(valid + invalid).isEqualTo(root.get("numberOfTests").intValue());
        assertThat(valid).isPositive();
        assertThat(invalid).isPositive();
    }
}
