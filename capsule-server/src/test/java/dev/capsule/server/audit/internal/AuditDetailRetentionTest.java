package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.access.Role;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retention period of audit details about a person on the real schema: details are sealed under the person's key
 * of the month, recorded in {@code audit_detail_keys} with the entry; the purge {@code audit.detail-keys} destroys the
 * keys of months older than the period (audited), after which those details no longer open while a newer month's of
 * the same person still does and the log still verifies; details sealed before V117 under the person's own key open.
 */
@CapsuleServerTest
class AuditDetailRetentionTest {
    private static final YearMonth LONG_AGO = YearMonth.of(2024, 1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired PersonalDetails personal;
    @Autowired PendingQueue queue;
    @Autowired CheckpointPublisher publisher;
    @Autowired LogStore store;
    @Autowired AuditVerification verification;
    @Autowired Purges purges;
    @Autowired SubjectKeys subjectKeys;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transactions;
    @Autowired ApplicationContext context;
    @Autowired TestHttps https;

    @Test
    void aMonthOlderThanThePeriodNoLongerOpensWhileANewerMonthOfTheSamePersonDoesAndTheLogStillVerifies() {
        UUID person = UUID.randomUUID();
        long old = recorded(person, fields -> {
        }, "192.0.2.61", LONG_AGO);
        long recent = recorded(person, fields -> {
        }, "192.0.2.62", null);
        UUID oldKey = PersonalDetails.monthKey(person, LONG_AGO);
        UUID recentKey = sealedUnder(recent);
        assertThat(sealedUnder(old)).isEqualTo(oldKey);
        assertThat(recentKey).as("not the person's own key").isNotEqualTo(person)
                .isIn(PersonalDetails.monthKey(person, YearMonth.now(ZoneOffset.UTC)),
                        PersonalDetails.monthKey(person, YearMonth.now(ZoneOffset.UTC).minusMonths(1)));
        assertThat(detailKeys(person)).containsEntry(oldKey, LocalDate.of(2024, 1, 1)).containsKey(recentKey).hasSize(2);
        String[] auditor = new SignedInOperators(context, https).signIn("retention-auditor", Role.AUDITOR).headers();
        assertOpens(reveal(old, auditor), person, "192.0.2.61");
        assertOpens(reveal(recent, auditor), person, "192.0.2.62");
        byte[] oldBytes = store.entries(old, old + 1).getFirst().entry();

        Purges.PurgeRun run = purges.run(AuditRetention.DETAIL_KEYS);

        assertThat(run.deleted()).isGreaterThanOrEqualTo(1);
        assertThat(detailKeys(person)).as("the old month's row goes, the recent one's stays").containsOnlyKeys(recentKey);
        assertThat(keyExists(oldKey)).as("the old month's key destroyed").isFalse();
        assertThat(keyExists(recentKey)).isTrue();
        JsonNode erased = TestHttps.json(expect(200, reveal(old, auditor)));
        assertThat(erased.get("subject").asString()).as("still names the person").isEqualTo(person.toString());
        assertThat(erased.get("erased").asBoolean()).isTrue();
        assertThat(erased.get("details").isNull()).isTrue();
        assertOpens(reveal(recent, auditor), person, "192.0.2.62");

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("retention.sweep")
                && AuditEvents.text(e, "action").equals(AuditRetention.DETAIL_KEYS)))
                .last().satisfies(e -> assertThat(AuditEvents.text(e, "detail")).startsWith("category audit-details; deleted "));
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("subject-key.erase")
                && AuditEvents.text(e, "subject").equals(oldKey.toString()))).hasSize(1);
        publisher.publishNow();
        assertThat(store.entries(old, old + 1).getFirst().entry()).as("the entry's bytes are unchanged").isEqualTo(oldBytes);
        AuditVerification.Result verified = verification.run();
        assertThat(verified.valid()).as(verified.message()).isTrue();
    }

    @Test
    void aRevealNamesThePersonNotTheMonthKeyAndADetailSealedUnderThePersonsOwnKeyStillOpens() {
        UUID person = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // Before V117: sealed under the person's own key, no row in audit_detail_keys.
        long before = recorded(person, fields -> {
        }, "192.0.2.63", YearMonth.now(ZoneOffset.UTC), true);
        // A step-up of `other` about `person`'s account: sealed for the subject (the person), as SecurityEventEntries does.
        long now = recorded(person, fields -> fields.actor(other), "192.0.2.64", null);
        assertThat(sealedUnder(before)).isEqualTo(person);
        assertThat(detailKeys(person)).hasSize(1).containsKey(sealedUnder(now));
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("retention-auditor", Role.AUDITOR);

        assertOpens(reveal(before, auditor.headers()), person, "192.0.2.63");
        assertOpens(reveal(now, auditor.headers()), person, "192.0.2.64");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("audit.reveal")
                && AuditEvents.text(e, "actor").equals(auditor.operatorId().toString())))
                .extracting(e -> AuditEvents.line(e, "|", "subject", "detail"))
                .containsExactly(person + "|entry " + before, person + "|entry " + now);

        subjectKeys.erase(person);
        assertThat(TestHttps.json(expect(200, reveal(before, auditor.headers()))).get("erased").asBoolean())
                .as("the person's own key destroyed: the old detail is erased").isTrue();
        assertOpens(reveal(now, auditor.headers()), person, "192.0.2.64");
    }

    @Test
    void theKeyIsRecordedWithTheEntryOrNotAtAll() {
        UUID person = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            UUID eventId = UUID.randomUUID();
            EntryFields fields = signInFailure(eventId, person);
            personal.address(fields, eventId, person, "192.0.2.65");
            queue.add(eventId, fields);
            status.setRollbackOnly();
        });
        assertThat(detailKeys(person)).as("rolled back with the entry").isEmpty();

        UUID eventId = UUID.randomUUID();
        EntryFields fields = signInFailure(eventId, person);
        personal.address(fields, eventId, person, "192.0.2.65");
        queue.add(eventId, fields);
        UUID eventId2 = UUID.randomUUID();
        EntryFields second = signInFailure(eventId2, person);
        personal.address(second, eventId2, person, "192.0.2.66");
        queue.add(eventId2, second);
        assertThat(detailKeys(person)).as("one row per person and month").hasSize(1);
        assertThat(fields.asMap()).doesNotContainKey("detailKey");
    }

    @Test
    void thePurgeIsInTheAuditDetailsCategoryWithItsPeriod() {
        Purge purge = purges.all().stream().filter(p -> p.name().equals(AuditRetention.DETAIL_KEYS)).findFirst().orElseThrow();
        assertThat(purge.category()).isEqualTo(RetentionCategory.AUDIT_DETAILS);
        assertThat(purge.keptFor()).isEqualTo(RetentionCategory.period("P1Y"));
        assertThat(purge.afterDelete()).isPresent();
        // A month whose end is not yet a period ago stays: a month that ended 300 days ago is kept under P1Y.
        UUID person = UUID.randomUUID();
        YearMonth recentEnough = YearMonth.from(OffsetDateTime.now(ZoneOffset.UTC).minusDays(300)).minusMonths(1);
        recorded(person, fields -> {
        }, "192.0.2.67", recentEnough);
        purges.run(AuditRetention.DETAIL_KEYS);
        assertThat(detailKeys(person)).containsOnlyKeys(PersonalDetails.monthKey(person, recentEnough));
    }

    private static EntryFields signInFailure(UUID eventId, UUID person) {
        return new EntryFields(eventId, AuditEventType.SIGN_IN_PASSWORD).outcome(SecurityEvent.Outcome.FAILURE)
                .actor(person).subject(person).reason("wrong-password");
    }

    private long recorded(UUID person, Consumer<EntryFields> more, String address, YearMonth month) {
        return recorded(person, more, address, month, false);
    }

    /**
     * A sign-in failure of {@code person} with its client address, sealed as {@link PersonalDetails} does now (under the
     * key of the current month for {@code null}, else of {@code month}, the entry recorded in that month), or under the
     * person's own key as before V117; sequenced, and its index returned.
     */
    private long recorded(UUID person, Consumer<EntryFields> more, String address, YearMonth month, boolean ownKey) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = signInFailure(eventId, person);
        more.accept(fields);
        transactions.executeWithoutResult(status -> {
            if (ownKey) {
                fields.address("0123456789abcdef0123456789abcdef");
                byte[] sealed = subjectKeys.seal(person, CanonicalJson.bytes(Map.of("address", address)), PersonalDetails.place(eventId));
                fields.sealed(person, Base64.getEncoder().encodeToString(sealed));
                queue.add(eventId, fields);
            } else if (month == null) {
                personal.address(fields, eventId, person, address);
                queue.add(eventId, fields);
            } else {
                // An entry recorded in that month: a security_events row of then (V40), the one kind of entry sealed when
                // sequenced, under the key of its own month, which the sequencer records.
                Map<String, Object> row = new java.util.TreeMap<>(fields.asMap());
                row.remove("event");
                row.put("legacyAddress", address);
                jdbc.sql("INSERT INTO audit_pending (recorded_at, event_id, fields, legacy) VALUES (:t, :e, :f, true)")
                        .param("t", month.atDay(15).atTime(12, 0).atOffset(ZoneOffset.UTC)).param("e", eventId)
                        .param("f", CanonicalJson.text(row)).update();
            }
        });
        long size = publisher.publishNow().size();
        return store.entries(0, size).stream()
                .filter(e -> new String(e.entry(), StandardCharsets.UTF_8).contains("\"event\":\"" + eventId + "\""))
                .findFirst().orElseThrow().index();
    }

    private UUID sealedUnder(long index) {
        JsonNode entry = JSON.readTree(new String(store.entries(index, index + 1).getFirst().entry(), StandardCharsets.UTF_8));
        return UUID.fromString(entry.get("sealed").get("subject").asString());
    }

    private Map<UUID, LocalDate> detailKeys(UUID person) {
        return jdbc.sql("SELECT detail_key, month FROM audit_detail_keys WHERE operator_id = :p").param("p", person)
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private boolean keyExists(UUID subject) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM keys_subject_keys WHERE subject = :s)").param("s", subject).query(Boolean.class).single();
    }

    private static void assertOpens(HttpResponse<String> response, UUID person, String address) {
        JsonNode revealed = TestHttps.json(expect(200, response));
        assertThat(revealed.get("subject").asString()).isEqualTo(person.toString());
        assertThat(revealed.get("erased").asBoolean()).isFalse();
        assertThat(revealed.get("details").get("address").asString()).isEqualTo(address);
    }

    private HttpResponse<String> reveal(long index, String[] headers) {
        return https.send(https.request("/api/v1/audit/entries/" + index + "/reveal").POST(HttpRequest.BodyPublishers.noBody())
                .headers(headers).build());
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }
}
