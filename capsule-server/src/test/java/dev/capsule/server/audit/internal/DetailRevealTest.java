package dev.capsule.server.audit.internal;

import dev.capsule.server.access.OperatorId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** An auditor with step-up reveals a sealed address; the reveal is logged; a detail whose key was destroyed stays closed. */
@CapsuleServerTest
class DetailRevealTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired ApplicationEventPublisher trail;
    @Autowired CheckpointPublisher publisher;
    @Autowired LogStore store;
    @Autowired SubjectKeys subjectKeys;
    @Autowired JdbcClient jdbc;

    @Test
    void auditorRevealsASealedAddressAndTheRevealIsLogged() {
        UUID person = UUID.randomUUID();
        long index = recordedWithAddress(person, "192.0.2.44");
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("reveal-auditor", Role.AUDITOR);

        JsonNode revealed = TestHttps.json(expect(200, reveal(index, auditor.headers())));
        assertThat(revealed.get("subject").asString()).isEqualTo(person.toString());
        assertThat(revealed.get("erased").asBoolean()).isFalse();
        assertThat(revealed.get("details").get("address").asString()).isEqualTo("192.0.2.44");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("audit.reveal")
                && AuditEvents.text(e, "actor").equals(auditor.operatorId().toString())))
                .singleElement()
                .satisfies(e -> assertThat(AuditEvents.line(e, "|", "subject", "detail")).isEqualTo(person + "|entry " + index));

        // The person's keys of the month destroyed (what the purge audit.detail-keys does after the retention period).
        jdbc.sql("SELECT detail_key FROM audit_detail_keys WHERE operator_id = :p").param("p", person).query(UUID.class).list()
                .forEach(subjectKeys::erase);
        JsonNode erased = TestHttps.json(expect(200, reveal(index, auditor.headers())));
        assertThat(erased.get("erased").asBoolean()).isTrue();
        assertThat(erased.get("details").isNull()).isTrue();
    }

    @Test
    void revealNeedsAnOperatorWithAuditReadAndStepUp() {
        long index = recordedWithAddress(UUID.randomUUID(), "192.0.2.45");
        SignedInOperators.Session developer = new SignedInOperators(context, https).signIn("reveal-developer", Role.DEVELOPER);
        assertThat(expect(403, reveal(index, developer.headers())).body()).contains("audit.read");
        // Header-authenticated test callers have no operator session, so no second factor: refused like a stale session.
        HttpResponse<String> noStepUp = reveal(index, AuditLogHttpTest.AUDITOR);
        assertThat(noStepUp.statusCode()).as(noStepUp.body()).isIn(401, 403);
        assertThat(noStepUp.body()).contains("step-up-required");
        assertThat(reveal(index, new String[0]).statusCode()).isEqualTo(401);
        String[] machine = {"Authorization", "Bearer " + AuditorKeys.create(context, https)};
        assertThat(https.get("/api/v1/audit/entries?start=" + index + "&end=" + (index + 1), machine).statusCode())
                .as("the key reads the log").isEqualTo(200);
        assertThat(expect(403, reveal(index, machine)).body()).as("an API key can never step up").contains("step-up-required");
    }

    @Test
    void entriesWithoutDetailsAndBeyondTheLogAreProblems() {
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        long size = publisher.publishNow().size();
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("reveal-auditor", Role.AUDITOR);
        assertThat(expect(404, reveal(size - 1, auditor.headers())).body()).contains("audit-no-sealed-detail");
        assertThat(expect(400, reveal(size + 10, auditor.headers())).body()).contains("audit-beyond-log");
    }

    private long recordedWithAddress(UUID person, String address) {
        trail.publishEvent(SecurityEvent.failure(AuditEventType.SIGN_IN_PASSWORD, OperatorId.of(person), OperatorId.of(person), "wrong-password", address));
        long size = publisher.publishNow().size();
        return store.entries(0, size).stream()
                .filter(e -> new String(e.entry(), java.nio.charset.StandardCharsets.UTF_8).contains("\"subject\":\"" + person + "\""))
                .findFirst().orElseThrow().index();
    }

    private HttpResponse<String> reveal(long index, String[] headers) {
        HttpRequest.Builder request = https.request("/api/v1/audit/entries/" + index + "/reveal").POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }
}
