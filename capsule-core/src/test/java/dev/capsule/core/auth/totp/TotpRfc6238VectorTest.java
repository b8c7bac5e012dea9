package dev.capsule.core.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generator against every RFC 6238 Appendix B value in ../shared/vectors/totp-rfc6238.json. */
class TotpRfc6238VectorTest {

    @Test
    void everyRfc6238VectorGivesTheExpectedCode() throws Exception {
        JsonNode root = JsonMapper.shared().readTree(Files.readAllBytes(RepoPaths.vector("totp-rfc6238.json")));
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            byte[] ascii = c.get("secretAscii").stringValue().getBytes(StandardCharsets.US_ASCII);
            TotpSecret secret = TotpSecret.fromBytes(ascii);
            TotpParameters parameters = new TotpParameters(
                    TotpAlgorithm.valueOf(c.get("algorithm").stringValue()),
                    c.get("digits").intValue(),
                    c.get("timeStep").intValue(),
                    c.get("t0").longValue());
            Instant at = Instant.ofEpochSecond(c.get("unixTime").longValue());
            String label = c.get("algorithm").stringValue() + " at " + at.getEpochSecond();

            assertThat(TotpSecret.fromBase32(c.get("secretBase32").stringValue()).bytes(SecretAccess.grant()))
                    .as(label + ": the base32 secret").isEqualTo(ascii);
            assertThat(TotpGenerator.codeAt(secret, parameters, at)).as(label).isEqualTo(c.get("totp").stringValue());
            checked++;
        }
        assertThat(checked).isEqualTo(root.get("cases").size()).isEqualTo(18);
    }
}
