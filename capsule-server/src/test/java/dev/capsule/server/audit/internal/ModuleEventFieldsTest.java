package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The outcome, actor and detail of other modules' events are read one way for every listener (host, payments, ledger). */
class ModuleEventFieldsTest {
    private static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final String OPERATOR = "00000000-0000-4000-8000-0000000000aa";

    @Test
    void anUnknownOutcomeIsRecordedAsAFailure() {
        assertThat(ModuleEventFields.outcome("success")).isEqualTo(SecurityEvent.Outcome.SUCCESS);
        assertThat(ModuleEventFields.outcome("denied")).isEqualTo(SecurityEvent.Outcome.DENIED);
        assertThat(ModuleEventFields.outcome("failure")).isEqualTo(SecurityEvent.Outcome.FAILURE);
        assertThat(ModuleEventFields.outcome("exploded")).isEqualTo(SecurityEvent.Outcome.FAILURE);
    }

    @Test
    void anActorIsAnApiKeyOrAnOperatorAndNothingElse() {
        assertThat(actor("apikey:0123456789abcdef")).containsEntry("apiKey", "0123456789abcdef").doesNotContainKey("actor");
        assertThat(actor("operator:" + OPERATOR)).containsEntry("actor", OPERATOR).doesNotContainKey("apiKey");
        assertThat(actor("capk_secret-token")).doesNotContainKeys("actor", "apiKey");
        assertThat(actor("apikey:0123456789ABCDEF")).doesNotContainKeys("actor", "apiKey");
    }

    @Test
    void aFailuresCodeIsAReasonAndOtherDetailIsBoundedText() {
        assertThat(detail("failure", "card-declined")).containsEntry("reason", "card-declined").doesNotContainKey("detail");
        assertThat(detail("success", "card-declined")).containsEntry("detail", "card-declined").doesNotContainKey("reason");
        assertThat(detail("failure", "Card declined\nby issuer")).containsEntry("detail", "Card declined by issuer")
                .doesNotContainKey("reason");
        assertThat(detail("failure", "")).doesNotContainKeys("detail", "reason");
    }

    @Test
    void aLongDetailIsCutWithoutSplittingASurrogatePair() {
        String text = "a".repeat(EntryFields.TEXT_CHARS_MAX - 1) + "😀" + "tail";
        String bounded = ModuleEventFields.bounded(text);
        assertThat(bounded).isEqualTo("a".repeat(EntryFields.TEXT_CHARS_MAX - 1));
        assertThat(detail("success", text)).containsEntry("detail", bounded);
        assertThat(ModuleEventFields.bounded("b".repeat(EntryFields.TEXT_CHARS_MAX + 10))).hasSize(EntryFields.TEXT_CHARS_MAX);
        assertThat(ModuleEventFields.bounded("")).isNull();
    }

    private static Map<String, Object> actor(String actor) {
        EntryFields fields = new EntryFields(EVENT, AuditEventType.PAYMENT_INTENT_CREATE);
        ModuleEventFields.actor(fields, Optional.of(actor));
        return fields.asMap();
    }

    private static Map<String, Object> detail(String outcome, String detail) {
        EntryFields fields = new EntryFields(EVENT, AuditEventType.PAYMENT_INTENT_CREATE);
        ModuleEventFields.reasonOrDetail(fields, outcome, Optional.of(detail));
        return fields.asMap();
    }
}
