package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * End to end against Debian's {@code oathtool} (an independent RFC 6238 implementation): a code it
 * computes from an operator's secret signs in over HTTPS. Fails, never skips, without oathtool
 * ({@code apt-get install oathtool}; {@code .ci/run} installs it).
 */
@IdentityServerTest
class TotpOathtoolSignInTest {
    @Autowired TestHttps https;
    @Autowired OperatorStore store;
    @Autowired Passwords passwords;
    @Autowired TotpCodes totp;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void oathtoolCodesAreAcceptedBySignIn() throws Exception {
        var operator = TestOperators.create(store, passwords, totp, clock, "oath");
        String code = oathtool(operator.secret().base32(SecretAccess.grant()));
        assertThat(code).matches("[0-9]{6}");

        OperatorClient client = new OperatorClient(https);
        client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(client.post("/api/v1/auth/second-factor/totp", json("code", code)).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(200);
    }

    static String oathtool(String base32Secret) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("oathtool", "--totp", "-b", base32Secret).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("oathtool is not installed (apt-get install oathtool); this test needs it", e);
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("oathtool did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(process.exitValue()).as("oathtool: " + output).isZero();
        return output;
    }
}
