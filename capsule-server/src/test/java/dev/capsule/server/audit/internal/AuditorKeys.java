package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ApplicationContext;

/** API keys holding audit.read, made through the real API: a platform-admin creates one, a security-officer approves it. */
final class AuditorKeys {
    private AuditorKeys() {
    }

    /** The new key's bearer token. */
    static String create(ApplicationContext context, TestHttps https) {
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session creator = operators.signIn("auditkey-admin", Role.PLATFORM_ADMIN);
        HttpResponse<String> created = https.send(https.request("/api/v1/api-keys").headers(creator.headers())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"audit verifier\",\"permissions\":[\"audit.read\"],\"expiresInDays\":30}"))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String keyId = TestHttps.json(created).get("key").get("keyId").asString();
        SignedInOperators.Session approver = operators.signIn("auditkey-officer", Role.SECURITY_OFFICER);
        HttpResponse<String> approved = https.send(https.request("/api/v1/api-keys/" + keyId + "/approve").headers(approver.headers())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        return TestHttps.json(created).get("token").asString();
    }
}
