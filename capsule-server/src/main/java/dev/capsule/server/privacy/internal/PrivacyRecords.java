package dev.capsule.server.privacy.internal;

import static dev.capsule.server.privacy.HeldData.record;

import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.PersonalDataHolder;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The privacy module's own holder: the person's requests (kept as the evidence that they were carried out: they name
 * the person only by pseudonym) and their finished exports (deleted on erasure, with the key that sealed them), both
 * in the database of the person's region ({@link SubjectRegions}).
 *
 * <p>Security guarantees: reads and deletes only rows under the person's own pseudonym, in their region's database;
 * while a request is carried out, {@link RequestService} passes the database it chose when it began, so an erasure
 * that removes the person's placement part-way still erases here, in the region their data was in.
 */
@Component
class PrivacyRecords implements PersonalDataHolder {
    private final RequestStore requests;
    private final ExportStore exports;
    private final Pseudonyms pseudonyms;
    private final SubjectRegions regions;

    PrivacyRecords(RequestStore requests, ExportStore exports, Pseudonyms pseudonyms, SubjectRegions regions) {
        this.requests = requests;
        this.exports = exports;
        this.pseudonyms = pseudonyms;
        this.regions = regions;
    }

    /** The person's pseudonym: the one the audit log's entries of the shell use ({@code user}). */
    String tag(DataSubject subject) {
        return pseudonyms.tag("shell-user:" + subject.userId());
    }

    @Override
    public String name() {
        return "privacy.requests";
    }

    @Override
    public Set<String> tables() {
        return Set.of("privacy_requests", "privacy_export_chunks");
    }

    @Override
    public HeldData export(DataSubject subject) {
        return export(subject, regions.of(subject));
    }

    /** {@link #export(DataSubject)} from {@code db}, the database of the person's region. */
    HeldData export(DataSubject subject, RegionalDatabase db) {
        List<java.util.Map<String, Object>> records = requests.ofSubject(db, tag(subject), RECORDS_MAX + 1).stream()
                .map(r -> record("privacy-request", "request", r.id().toString(), "type", r.kind().code(), "state", r.state().code(),
                        "receivedAt", r.receivedAt().toString(), "dueAt", r.dueAt().toString(),
                        "verifiedBy", r.verifiedBy().map(s -> s.code()).orElse(null),
                        "doneAt", r.doneAt().map(Object::toString).orElse(null)))
                .toList();
        return HeldData.of(name(), "Your requests to see or delete your data.", records);
    }

    @Override
    public Erasure erase(DataSubject subject) {
        return erase(subject, regions.of(subject));
    }

    /** {@link #erase(DataSubject)} in {@code db}, the database of the person's region. */
    Erasure erase(DataSubject subject, RegionalDatabase db) {
        String tag = tag(subject);
        long chunks = exports.deleteAll(db, tag);
        long kept = requests.ofSubject(db, tag, RECORDS_MAX).size();
        return new Erasure(name(), List.of(new Erasure.Deleted("privacy_export_chunks", chunks)),
                List.of(new Erasure.Retained("privacy_requests", kept, "the record that your requests were received and carried"
                        + " out, which names you only by a pseudonym (GDPR art. 5(2), accountability)")),
                List.of(ExportStore.subjectKey(tag)));
    }
}
