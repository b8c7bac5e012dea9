package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.access.ApiKeyEvent;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Each API key event becomes one entry with the key's id and the operator's id, and nothing else of the key. */
@CapsuleServerTest
class ApiKeyEventAuditTest {
    @Autowired ApplicationEventPublisher events;
    @Autowired JdbcClient jdbc;

    @Test
    void lifecycleEventsCarryTheOperatorAndTheKeyId() {
        String key = "0123456789abcdef";
        OperatorId operator = OperatorId.of(UUID.randomUUID());
        Instant now = Instant.now();
        events.publishEvent(new ApiKeyEvent.Created(key, "payments backend", Set.of(Permission.METRICS_READ), now, operator, now));
        events.publishEvent(new ApiKeyEvent.Approved(key, operator, now));
        events.publishEvent(new ApiKeyEvent.Revoked(key, operator, now));
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "apiKey").equals(key)))
                .extracting(e -> AuditEvents.line(e, "|", "type", "outcome", "actor"))
                .containsExactly("api-key.create|success|" + operator, "api-key.approve|success|" + operator,
                        "api-key.revoke|success|" + operator);
        assertThat(AuditEvents.all(jdbc).toString()).doesNotContain("payments backend");
    }

    @Test
    void refusalCarriesTheReasonAndTheAddressOnlyAsAPseudonym() {
        String key = "fedcba9876543210";
        events.publishEvent(new ApiKeyEvent.Refused(key, ApiKeyEvent.Refusal.WRONG_SECRET, "192.0.2.7", Instant.now()));
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "apiKey").equals(key))).singleElement().satisfies(e -> {
            assertThat(AuditEvents.line(e, "|", "type", "outcome", "reason", "actor")).isEqualTo("api-key.authenticate|failure|wrong-secret|null");
            assertThat(AuditEvents.text(e, "address")).isNotEqualTo("null").doesNotContain("192.0.2.7");
        });
    }

    @Test
    void aLifecycleEventNeedsAnOperatorId() {
        assertThatThrownBy(() -> new ApiKeyEvent.Approved("0123456789abcdef", null, Instant.now())).isInstanceOf(NullPointerException.class);
        assertThat(OperatorId.fromName("ann")).isEmpty();
        assertThat(OperatorId.fromName("00000000-0000-0000-0000-000000000000")).as("never the nil UUID").isEmpty();
        UUID id = UUID.randomUUID();
        assertThat(OperatorId.fromName(id.toString())).contains(OperatorId.of(id));
        assertThat(OperatorId.fromName(id.toString().toUpperCase(java.util.Locale.ROOT))).as("one spelling only").isEmpty();
    }
}
