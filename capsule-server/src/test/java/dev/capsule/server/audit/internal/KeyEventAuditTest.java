package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.access.KeyEvents;
import dev.capsule.server.access.Permission;
import dev.capsule.server.audit.SecurityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each API key event becomes one audit event with the key's id and the operator's id, and nothing else of the key. */
class KeyEventAuditTest {
    private static final String KEY = "0123456789abcdef";
    private final List<SecurityEvent> recorded = new ArrayList<>();
    private final KeyEventAudit audit = new KeyEventAudit(recorded::add);

    @Test
    void lifecycleEventsCarryTheOperatorAndTheKeyId() {
        UUID operator = UUID.randomUUID();
        Instant now = Instant.now();
        audit.record(new KeyEvents.Created(KEY, "payments backend", Set.of(Permission.METRICS_READ), now, "operator:" + operator, now));
        audit.record(new KeyEvents.Approved(KEY, "operator:" + operator, now));
        audit.record(new KeyEvents.Revoked(KEY, "operator:" + operator, now));
        assertThat(recorded).containsExactly(
                new SecurityEvent("api-key.create", SecurityEvent.Outcome.SUCCESS, operator, null, null, null, KEY),
                new SecurityEvent("api-key.approve", SecurityEvent.Outcome.SUCCESS, operator, null, null, null, KEY),
                new SecurityEvent("api-key.revoke", SecurityEvent.Outcome.SUCCESS, operator, null, null, null, KEY));
        assertThat(recorded.toString()).doesNotContain("payments backend");
    }

    @Test
    void refusalCarriesTheReasonAndAddress() {
        audit.record(new KeyEvents.Refused(KEY, KeyEvents.Refusal.WRONG_SECRET, "192.0.2.7", Instant.now()));
        assertThat(recorded).containsExactly(
                new SecurityEvent("api-key.refused", SecurityEvent.Outcome.FAILURE, null, null, "wrong-secret", "192.0.2.7", KEY));
    }

    @Test
    void actorWithoutAnOperatorIdIsRefusedSoTheChangeIsUndone() {
        assertThatThrownBy(() -> audit.record(new KeyEvents.Approved(KEY, "operator:ann", Instant.now())))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> audit.record(new KeyEvents.Revoked(KEY, "apikey:fedcba9876543210", Instant.now())))
                .isInstanceOf(IllegalStateException.class);
        assertThat(recorded).isEmpty();
    }

    @Test
    void securityEventRefusesAnythingButAKeyId() {
        assertThatThrownBy(() -> new SecurityEvent("api-key.create", SecurityEvent.Outcome.SUCCESS, null, null, null, null,
                "capk_0123456789abcdef_secret")).isInstanceOf(IllegalArgumentException.class);
    }
}
