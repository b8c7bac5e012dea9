package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/audit/entries/{index}/reveal}: an auditor opens the personal details sealed in one
 * entry (today the client address). Needs {@code audit.read} and a recent second factor (declared step-up,
 * which only an operator session can satisfy, so never an API key). The reveal is itself recorded in the log before the
 * details are opened (type {@code audit.reveal}, the auditor as actor, the person as subject, the entry's
 * index as detail), so an auditor cannot look without leaving a trace. The entry's {@code sealed.subject} names the key
 * the detail is under: since V117 the person's key of a month ({@link PersonalDetails#monthKey}), before it the person's
 * own key; the person is found among the entry's subject and actor ({@link PersonalDetails#person}), and a key that
 * neither derives is named as it is.
 *
 * <p>Security guarantees: a detail whose key was destroyed (the month's, by the {@code audit-details} retention period,
 * or the person's own) is answered {@code "erased": true} with no details (nothing can open it); a sealed value that
 * does not open (altered or moved) is a 409 {@code audit-detail-unreadable}, never an empty answer.
 */
@RestController
class DetailReveal {
    static final ProblemType NO_DETAILS =
            new ProblemType("audit-no-sealed-detail", HttpStatus.NOT_FOUND, "The audit entry holds no sealed detail");
    static final ProblemType UNREADABLE =
            new ProblemType("audit-detail-unreadable", HttpStatus.CONFLICT, "The sealed detail does not open");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LogStore store;
    private final SubjectKeys subjectKeys;
    private final PendingQueue queue;
    private final PersonalDetails personal;

    DetailReveal(LogStore store, SubjectKeys subjectKeys, PendingQueue queue, PersonalDetails personal) {
        this.store = store;
        this.subjectKeys = subjectKeys;
        this.queue = queue;
        this.personal = personal;
    }

    /**
     * @param subject the person the detail concerns
     * @param erased  whether the key it was sealed under was destroyed (retention period or erasure)
     * @param details the opened details ({"address": ...}), absent when erased
     */
    record Revealed(long index, UUID subject, boolean erased, Map<String, Object> details) {
    }

    @PostMapping(path = "/api/v1/audit/entries/{index}/reveal", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.AUDIT_READ, stepUp = true)
    @Operation(summary = "Open the personal details sealed in one entry (operators with step-up; the reveal is itself logged)")
    Revealed reveal(@PathVariable("index") long index, HttpServletRequest request) {
        // Step-up passed, so the caller is an operator session.
        UUID actor = ((Caller.Operator) Caller.current()).operatorId().map(OperatorId::value).orElseThrow(() ->
                new ProblemException(AccessProblems.STEP_UP_REQUIRED, "only an operator session may reveal personal details"));
        if (index < 0 || index >= store.size()) {
            throw new ProblemException(AuditProblems.BEYOND_LOG, "there is no entry " + index);
        }
        JsonNode entry = JSON.readTree(store.entries(index, index + 1).getFirst().entry());
        JsonNode sealed = entry.get("sealed");
        if (sealed == null) {
            throw new ProblemException(NO_DETAILS, "entry " + index + " holds no sealed detail");
        }
        UUID key = UUID.fromString(sealed.get("subject").asString());
        List<UUID> named = Stream.of("subject", "actor").map(entry::get).filter(field -> field != null && field.isString())
                .map(field -> UUID.fromString(field.asString())).toList();
        UUID subject = PersonalDetails.person(key, Instant.parse(entry.get("time").asString()), named).orElse(key);
        UUID revealEvent = UUID.randomUUID();
        EntryFields fields = new EntryFields(revealEvent, AuditEventType.AUDIT_REVEAL).outcome(SecurityEvent.Outcome.SUCCESS)
                .actor(actor).subject(subject)
                .detail("entry " + index);
        personal.address(fields, revealEvent, actor, request.getRemoteAddr());
        queue.add(revealEvent, fields);
        Optional<byte[]> opened;
        try {
            opened = subjectKeys.open(key, Base64.getDecoder().decode(sealed.get("data").asString()),
                    PersonalDetails.place(UUID.fromString(entry.get("event").asString())));
        } catch (SealedValueException | IllegalArgumentException e) {
            throw new ProblemException(UNREADABLE, "the detail sealed in entry " + index + " does not open (altered or moved)");
        }
        return opened.map(plain -> new Revealed(index, subject, false,
                        CanonicalJson.toMap(JSON.readTree(new String(plain, StandardCharsets.UTF_8)))))
                .orElseGet(() -> new Revealed(index, subject, true, null));
    }
}
