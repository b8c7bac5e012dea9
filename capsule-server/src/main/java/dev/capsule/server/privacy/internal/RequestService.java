package dev.capsule.server.privacy.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
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
    private final SubjectRegions regions;
    private final JsonMapper json;
    private final TableRewrites rewrites;
    private final Clock clock;

    RequestService(RequestStore store, ExportStore exports, PrivacyRecords records, List<PersonalDataHolder> holders,
            SubjectKeys subjectKeys, ApplicationEventPublisher events, SubjectRegions regions, JsonMapper json,
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
        this.regions = regions;
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
        RegionalDatabase db = regions.of(subject);
        PrivacyRequest filed = regions.inTransaction(db, () -> {
            PrivacyRequest request = store.insert(db, kind, tag, Optional.empty(), clock.instant());
            publish(PrivacyEvent.Step.REQUEST_FILE, request, Optional.empty());
            return request;
        });
        return confirm(filed.id(), subject, assertion).orElseThrow();
    }

    /**
     * Files a request for the person an operator names, in the database of the person's region (the home region's
     * for a person never placed); the person confirms it signed in to the shell.
     */
    RegionalRequest fileFor(OperatorId operator, DataSubject subject, PrivacyRequest.RequestKind kind) {
        RegionalDatabase db = regions.of(subject);
        return regions.inTransaction(db, () -> {
            PrivacyRequest request = store.insert(db, kind, records.tag(subject), Optional.of(operator), clock.instant());
            publish(PrivacyEvent.Step.REQUEST_FILE, request, Optional.of(operator));
            return new RegionalRequest(db.region(), request);
        });
    }

    @Override
    public List<PrivacyRequest> of(DataSubject subject) {
        return store.ofSubject(regions.of(subject), records.tag(subject), LISTED_MAX);
    }

    @Override
    public Optional<PrivacyRequest> confirm(PrivacyRequestId id, DataSubject subject, IdentityAssertion assertion) {
        String tag = records.tag(subject);
        RegionalDatabase db = regions.of(subject);
        Optional<PrivacyRequest> outcome;
        try {
            outcome = regions.inTransaction(db, () -> {
                Optional<PrivacyRequest> locked = store.lock(db, id).filter(r -> r.subjectTag().equals(tag));
                if (locked.isEmpty() || locked.get().state() == PrivacyRequest.RequestState.DONE) {
                    return Optional.<PrivacyRequest>empty();
                }
                if (locked.get().state() == PrivacyRequest.RequestState.RECEIVED) {
                    store.verified(db, id, assertion);
                    publish(PrivacyEvent.Step.REQUEST_VERIFY, locked.get(), Optional.empty());
                }
                carryOut(db, locked.get(), subject, tag);
                return store.find(db, id);
            });
        } catch (RuntimeException e) {
            log.warn("data-subject request {} could not be carried out: {}", id, e.getClass().getSimpleName());
            outcome = regions.inTransaction(db, () -> {
                Optional<PrivacyRequest> locked = store.lock(db, id).filter(r -> r.subjectTag().equals(tag));
                if (locked.isPresent() && locked.get().state() != PrivacyRequest.RequestState.DONE) {
                    if (locked.get().state() == PrivacyRequest.RequestState.RECEIVED) {
                        store.verified(db, id, assertion);
                        publish(PrivacyEvent.Step.REQUEST_VERIFY, locked.get(), Optional.empty());
                    }
                    store.failed(db, id, e instanceof ExportTooLarge ? "export-too-large" : "holder-failed");
                    publish(PrivacyEvent.Step.REQUEST_FAIL, locked.get(), Optional.empty());
                }
                return store.find(db, id);
            });
        }
        return outcome;
    }

    /**
     * Carries the request out in {@code db}, the database of the person's region chosen when it began (the erasure may
     * remove the person's placement part-way: the privacy module's own records are still erased there).
     */
    private void carryOut(RegionalDatabase db, PrivacyRequest request, DataSubject subject, String tag) {
        Instant now = clock.instant();
        switch (request.kind()) {
            case EXPORT -> {
                byte[] document = exportDocument(db, request.id(), subject, tag, now);
                exports.store(db, request.id(), tag, document, now);
                store.done(db, request.id(), now, Optional.empty());
                publish(PrivacyEvent.Step.EXPORT_DONE, request, Optional.empty());
            }
            case ERASURE -> {
                List<Erasure> erased = new ArrayList<>();
                Set<UUID> keys = new LinkedHashSet<>();
                for (PersonalDataHolder holder : holders) {
                    Erasure erasure = holder == records ? records.erase(subject, db) : holder.erase(subject);
                    erased.add(erasure);
                    keys.addAll(erasure.subjectKeys());
                }
                keys.forEach(subjectKeys::erase);
                ErasureCertificate certificate = new ErasureCertificate(request.id(), tag, db.region(), clock.instant(), erased,
                        List.copyOf(keys));
                store.done(db, request.id(), certificate.erasedAt(), Optional.of(certificate.canonical()));
                events.publishEvent(new PrivacyEvent(PrivacyEvent.Step.ERASURE_DONE, request.id(), request.kind(), tag,
                        Optional.empty(), Optional.of(certificate)));
                holders.forEach(holder -> holder.rewrittenAfterErasure().forEach(rewrites::request));
            }
        }
    }

    private byte[] exportDocument(RegionalDatabase db, PrivacyRequestId id, DataSubject subject, String tag, Instant now) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", PrivacyExport.FORMAT);
        document.put("request", id.toString());
        document.put("generatedAt", now.toString());
        Map<String, Object> residence = new LinkedHashMap<>();
        residence.put("region", db.region().value());
        residence.put("location", db.location());
        residence.put("home", regions.home().region().value());
        document.put("residency", residence);
        store.lastErasure(db, tag).ifPresent(at -> document.put("erased", Map.of("at", at.toString(),
                "note", "Your data was erased at your request then; what follows is only what the platform has held since.")));
        List<Map<String, Object>> sections = new ArrayList<>();
        for (PersonalDataHolder holder : holders) {
            HeldData held = holder == records ? records.export(subject, db) : holder.export(subject);
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
        RegionalDatabase db = regions.of(subject);
        return store.find(db, id)
                .filter(r -> r.subjectTag().equals(tag) && r.kind() == PrivacyRequest.RequestKind.EXPORT && r.state() == PrivacyRequest.RequestState.DONE)
                .flatMap(r -> exports.read(db, id, tag, clock.instant()))
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
        // An export made before the platform recorded residency has no such object.
        Optional<PrivacyExport.Residence> residency = Optional.ofNullable((Map<String, Object>) document.get("residency"))
                .map(r -> new PrivacyExport.Residence(new RegionId((String) r.get("region")), (String) r.get("location"),
                        new RegionId((String) r.get("home"))));
        return new PrivacyExport(id, Instant.parse((String) document.get("generatedAt")), erased, residency, sections, bytes);
    }

    /**
     * Operators' view: one request, from whichever region's database holds it (each region's in turn, the home region's
     * first: at most {@link Residency#REGIONS_MAX} look-ups by primary key; ids are random UUIDs, so one region at most
     * has it).
     */
    Optional<RegionalRequest> find(PrivacyRequestId id) {
        for (RegionalDatabase db : regions.all()) {
            Optional<PrivacyRequest> found = store.find(db, id);
            if (found.isPresent()) {
                return Optional.of(new RegionalRequest(db.region(), found.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Operators' view: a page of every region's requests, newest first, at most {@code limit}: each region gives its
     * newest {@code limit} older than {@code before} (wherever that one is), and the merge keeps the newest
     * {@code limit} of those.
     */
    List<RegionalRequest> page(Optional<PrivacyRequestId> before, int limit) {
        Optional<PrivacyRequest> cursor = before.flatMap(this::find).map(RegionalRequest::request);
        List<RegionalRequest> merged = new ArrayList<>();
        for (RegionalDatabase db : regions.all()) {
            store.page(db, cursor, limit).forEach(r -> merged.add(new RegionalRequest(db.region(), r)));
        }
        return merged.stream().sorted(RegionalRequest.NEWEST_FIRST).limit(limit).toList();
    }

    /** Operators' view: an erasure's certificate (canonical JSON), from the region's database that holds the request. */
    Optional<String> certificate(RegionalRequest request) {
        return store.certificate(regions.of(request.region()), request.request().id());
    }

    /** Operators' view: an erasure's certificate (canonical JSON), wherever its request is. */
    Optional<String> certificate(PrivacyRequestId id) {
        return find(id).flatMap(this::certificate);
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
