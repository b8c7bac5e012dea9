package dev.capsule.server.privacy.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.TableRewrites;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.ErasureCertificate;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.IdentityAssertion;
import dev.capsule.server.privacy.PersonalDataHolder;
import dev.capsule.server.privacy.PrivacyEvent;
import dev.capsule.server.privacy.PrivacyExport;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequestId;
import dev.capsule.server.privacy.PrivacyRequests;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data-subject requests: filing, verification by the host's assertion, and carrying them out across every
 * {@link PersonalDataHolder}. One request is carried out in one transaction under its row's lock, so it runs once
 * even when confirmed twice at once, and a holder's failure leaves nothing half-done (the request stays verified,
 * with a failure code, and the person confirms it again).
 *
 * <p>Security guarantees: as {@link PrivacyRequests}'; the export is sealed under the person's own data-subject key
 * before it is stored; the erasure destroys every key the holders name and only then marks the request done, with
 * a certificate whose SHA-256 is in the audit log.
 */
@Service
class RequestService implements PrivacyRequests {
    private static final Logger log = LoggerFactory.getLogger(RequestService.class);

    private final RequestStore store;
    private final ExportStore exports;
    private final PrivacyRecords records;
    private final List<PersonalDataHolder> holders;
    private final SubjectKeys subjectKeys;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final TableRewrites rewrites;
    private final Clock clock;

    RequestService(RequestStore store, ExportStore exports, PrivacyRecords records, List<PersonalDataHolder> holders,
            SubjectKeys subjectKeys, ApplicationEventPublisher events, TransactionTemplate transactions, JsonMapper json,
            TableRewrites rewrites) {
        this.rewrites = rewrites;
        for (PersonalDataHolder holder : holders) {
            for (String table : holder.rewrittenAfterErasure()) {
                if (!TableRewrites.TABLE.matcher(table).matches() || !holder.tables().contains(table)) {
                    throw new IllegalStateException(holder.name() + " may have only its own tables rewritten: " + table);
                }
            }
        }
        this.store = store;
        this.exports = exports;
        this.records = records;
        this.holders = holders.stream().sorted(Comparator.comparing(PersonalDataHolder::name)).toList();
        this.subjectKeys = subjectKeys;
        this.events = events;
        this.transactions = transactions;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /** Every holder, in name order. */
    List<PersonalDataHolder> holders() {
        return holders;
    }

    @Override
    public PrivacyRequest file(DataSubject subject, PrivacyRequest.RequestKind kind, IdentityAssertion assertion) {
        String tag = records.tag(subject);
        PrivacyRequest filed = transactions.execute(status -> {
            PrivacyRequest request = store.insert(kind, tag, Optional.empty(), clock.instant());
            publish(PrivacyEvent.Step.REQUEST_FILE, request, Optional.empty());
            return request;
        });
        return confirm(filed.id(), subject, assertion).orElseThrow();
    }

    /** Files a request for the person an operator names; the person confirms it signed in to the shell. */
    PrivacyRequest fileFor(OperatorId operator, DataSubject subject, PrivacyRequest.RequestKind kind) {
        return transactions.execute(status -> {
            PrivacyRequest request = store.insert(kind, records.tag(subject), Optional.of(operator), clock.instant());
            publish(PrivacyEvent.Step.REQUEST_FILE, request, Optional.of(operator));
            return request;
        });
    }

    @Override
    public List<PrivacyRequest> of(DataSubject subject) {
        return store.ofSubject(records.tag(subject), LISTED_MAX);
    }

    @Override
    public Optional<PrivacyRequest> confirm(PrivacyRequestId id, DataSubject subject, IdentityAssertion assertion) {
        String tag = records.tag(subject);
        Optional<PrivacyRequest> outcome;
        try {
            outcome = transactions.execute(status -> {
                Optional<PrivacyRequest> locked = store.lock(id).filter(r -> r.subjectTag().equals(tag));
                if (locked.isEmpty() || locked.get().state() == PrivacyRequest.RequestState.DONE) {
                    return Optional.<PrivacyRequest>empty();
                }
                if (locked.get().state() == PrivacyRequest.RequestState.RECEIVED) {
                    store.verified(id, assertion);
                    publish(PrivacyEvent.Step.REQUEST_VERIFY, locked.get(), Optional.empty());
                }
                carryOut(locked.get(), subject, tag);
                return store.find(id);
            });
        } catch (RuntimeException e) {
            log.warn("data-subject request {} could not be carried out: {}", id, e.getClass().getSimpleName());
            outcome = transactions.execute(status -> {
                Optional<PrivacyRequest> locked = store.lock(id).filter(r -> r.subjectTag().equals(tag));
                if (locked.isPresent() && locked.get().state() != PrivacyRequest.RequestState.DONE) {
                    if (locked.get().state() == PrivacyRequest.RequestState.RECEIVED) {
                        store.verified(id, assertion);
                        publish(PrivacyEvent.Step.REQUEST_VERIFY, locked.get(), Optional.empty());
                    }
                    store.failed(id, e instanceof ExportTooLarge ? "export-too-large" : "holder-failed");
                    publish(PrivacyEvent.Step.REQUEST_FAIL, locked.get(), Optional.empty());
                }
                return store.find(id);
            });
        }
        return outcome;
    }

    private void carryOut(PrivacyRequest request, DataSubject subject, String tag) {
        Instant now = clock.instant();
        switch (request.kind()) {
            case EXPORT -> {
                byte[] document = exportDocument(request.id(), subject, tag, now);
                exports.store(request.id(), tag, document, now);
                store.done(request.id(), now, Optional.empty());
                publish(PrivacyEvent.Step.EXPORT_DONE, request, Optional.empty());
            }
            case ERASURE -> {
                List<Erasure> erased = new ArrayList<>();
                Set<UUID> keys = new LinkedHashSet<>();
                for (PersonalDataHolder holder : holders) {
                    Erasure erasure = holder.erase(subject);
                    erased.add(erasure);
                    keys.addAll(erasure.subjectKeys());
                }
                keys.forEach(subjectKeys::erase);
                ErasureCertificate certificate = new ErasureCertificate(request.id(), tag, clock.instant(), erased, List.copyOf(keys));
                store.done(request.id(), certificate.erasedAt(), Optional.of(certificate.canonical()));
                events.publishEvent(new PrivacyEvent(PrivacyEvent.Step.ERASURE_DONE, request.id(), request.kind(), tag,
                        Optional.empty(), Optional.of(certificate)));
                holders.forEach(holder -> holder.rewrittenAfterErasure().forEach(rewrites::request));
            }
        }
    }

    private byte[] exportDocument(PrivacyRequestId id, DataSubject subject, String tag, Instant now) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", PrivacyExport.FORMAT);
        document.put("request", id.toString());
        document.put("generatedAt", now.toString());
        store.lastErasure(tag).ifPresent(at -> document.put("erased", Map.of("at", at.toString(),
                "note", "Your data was erased at your request then; what follows is only what the platform has held since.")));
        List<Map<String, Object>> sections = new ArrayList<>();
        for (PersonalDataHolder holder : holders) {
            HeldData held = holder.export(subject);
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("holder", held.holder());
            section.put("description", held.description());
            section.put("truncated", held.truncated());
            section.put("records", held.records());
            sections.add(section);
        }
        document.put("sections", sections);
        byte[] bytes = json.writeValueAsBytes(document);
        if (bytes.length > ExportStore.EXPORT_BYTES_MAX) {
            throw new ExportTooLarge();
        }
        return bytes;
    }

    @Override
    public Optional<PrivacyExport> export(PrivacyRequestId id, DataSubject subject) {
        String tag = records.tag(subject);
        return store.find(id)
                .filter(r -> r.subjectTag().equals(tag) && r.kind() == PrivacyRequest.RequestKind.EXPORT && r.state() == PrivacyRequest.RequestState.DONE)
                .flatMap(r -> exports.read(id, tag, clock.instant()))
                .map(bytes -> parse(id, bytes));
    }

    @SuppressWarnings("unchecked")
    private PrivacyExport parse(PrivacyRequestId id, byte[] bytes) {
        Map<String, Object> document = json.readValue(bytes, Map.class);
        List<HeldData> sections = new ArrayList<>();
        for (Map<String, Object> section : (List<Map<String, Object>>) document.get("sections")) {
            sections.add(new HeldData((String) section.get("holder"), (String) section.get("description"),
                    (List<Map<String, Object>>) section.get("records"), Boolean.TRUE.equals(section.get("truncated"))));
        }
        Optional<Instant> erased = Optional.ofNullable((Map<String, Object>) document.get("erased"))
                .map(e -> Instant.parse((String) e.get("at")));
        return new PrivacyExport(id, Instant.parse((String) document.get("generatedAt")), erased, sections, bytes);
    }

    /** Operators' view: one request. */
    Optional<PrivacyRequest> find(PrivacyRequestId id) {
        return store.find(id);
    }

    /** Operators' view: a page of every request, newest first. */
    List<PrivacyRequest> page(Optional<PrivacyRequestId> before, int limit) {
        return store.page(before.flatMap(store::find), limit);
    }

    /** Operators' view: an erasure's certificate (canonical JSON). */
    Optional<String> certificate(PrivacyRequestId id) {
        return store.certificate(id);
    }

    private void publish(PrivacyEvent.Step what, PrivacyRequest request, Optional<OperatorId> actor) {
        events.publishEvent(new PrivacyEvent(what, request.id(), request.kind(), request.subjectTag(), actor, Optional.empty()));
    }

    /** The export's JSON would exceed {@link ExportStore#EXPORT_BYTES_MAX}. */
    static final class ExportTooLarge extends RuntimeException {
        ExportTooLarge() {
            super("the export exceeds " + ExportStore.EXPORT_BYTES_MAX + " bytes", null, false, false);
        }
    }
}
