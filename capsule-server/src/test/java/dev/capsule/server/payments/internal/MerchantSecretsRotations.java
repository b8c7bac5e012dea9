package dev.capsule.server.payments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Runs a rotation of the {@code merchant-secrets} keys as an operator does (start it over the API, follow it until it
 * is no longer re-encrypting) and asserts it ended {@code done} with nothing left: the old key is then retired and no
 * longer opens anything. Shared by every test whose module seals values under that purpose.
 */
public final class MerchantSecretsRotations {
    private MerchantSecretsRotations() {
    }

    /** Rotates and waits for the end; returns the new key id as the API reports it (8 hex digits). */
    public static String rotateAndRetire(ApplicationContext context, TestHttps https) throws InterruptedException {
        SignedInOperators.Session officer = new SignedInOperators(context, https).signIn("pay-keys", Role.SECURITY_OFFICER);
        HttpResponse<String> started = https.send(https.request("/api/v1/keys/merchant-secrets/rotations")
                .POST(HttpRequest.BodyPublishers.noBody()).headers(officer.headers()).build());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String rotation = TestHttps.json(started).get("id").asString();
        String newKey = TestHttps.json(started).get("newKeyId").asString();
        JsonNode status = TestHttps.json(https.get("/api/v1/keys/rotations/" + rotation, officer.headers()));
        // The rotation runs on the server's worker: poll its status, as an operator does, until it leaves "rewrapping".
        for (int i = 0; i < 300 && status.get("state").asString().equals("rewrapping"); i++) {
            Thread.sleep(200);
            status = TestHttps.json(https.get("/api/v1/keys/rotations/" + rotation, officer.headers()));
        }
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("done");
        assertThat(status.get("remaining").asLong()).isZero();
        return newKey;
    }
}
