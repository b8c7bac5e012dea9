package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.PersonalDataHolder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log's answer to a data subject request ({@code audit.entries}): the entries that name the person, found
 * through {@code audit_user_entries} (V105) by the pseudonym the host's and the payments module's events name an end
 * user by ({@link Pseudonyms#tag} of {@code "shell-user:" + id}), each with an RFC 9162 inclusion proof against the
 * latest signed checkpoint, so the person can check that what they were shown is what the log holds.
 *
 * <p>Erasure changes nothing: the log must stay verifiable, so its entries are reported as retained, with the basis.
 * The entries name an end user only by a keyed pseudonym and carry no personal detail in clear; this holder names no
 * data-subject key (the log seals details only for operators, under keys of theirs per month: {@link PersonalDetails}).
 *
 * <p>Entries of type {@code runtime.call} are not listed: they name the user by the pseudonym of the pairwise id the
 * mini-program knows them by, which only the host can derive (and the contract hands this holder the person's
 * account id alone).
 *
 * <p>Security guarantees: only entries indexed under this person's own pseudonym, never a search of the entries'
 * text; at most {@link PersonalDataHolder#RECORDS_MAX}; the proofs are assembled from the stored subtree hashes
 * (the same ones the log's proof API serves), never recomputed from the entries, so a stored hash that disagrees
 * with the log makes a proof that does not verify rather than one that hides the difference.
 */
@Component
class AuditEntriesHolder implements PersonalDataHolder {
    static final String NAME = "audit.entries";
    /** Entries whose proofs are assembled from one query of stored hashes. */
    static final int PROOF_BATCH_ENTRIES_MAX = 500;
    static final String BASIS = "The security audit log is append-only and must stay verifiable (GDPR art. 17(3)(b) and (e): "
            + "records kept for the security of processing, art. 32, and for legal claims); a deleted or changed entry would "
            + "break every proof and checkpoint. The entries name the person only by a keyed pseudonym and hold no personal "
            + "detail in clear.";
    static final String DESCRIPTION = "Entries of the platform's security audit log about you (signing in to the shell, "
            + "sessions, consent decisions, payments and cards), where you appear only as a keyed pseudonym. Each comes with "
            + "an RFC 9162 inclusion proof against the log's latest signed checkpoint (an entry sequenced after it has none "
            + "yet: \"covered\" is false). Calls a mini-program made on your behalf (runtime.call) are not listed: they name "
            + "you by the pseudonymous id that mini-program knows you by, which only the host can derive.";

    private final JdbcClient jdbc;
    private final LogStore store;
    private final Pseudonyms pseudonyms;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditEntriesHolder(JdbcClient jdbc, LogStore store, Pseudonyms pseudonyms) {
        this.jdbc = jdbc;
        this.store = store;
        this.pseudonyms = pseudonyms;
    }

    /** The pseudonym entries name this end user by (HostEventAudit, PaymentEventAudit). */
    String userTag(DataSubject subject) {
        return pseudonyms.tag("shell-user:" + subject.userId());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> tables() {
        return Set.of("audit_entries", "audit_user_entries");
    }

    @Override
    public HeldData export(DataSubject subject) {
        List<Long> indexes = jdbc.sql("SELECT idx FROM audit_user_entries WHERE user_tag = :tag ORDER BY idx LIMIT :n")
                .param("tag", userTag(subject)).param("n", RECORDS_MAX + 1).query(Long.class).list();
        Optional<LogStore.StoredCheckpoint> checkpoint = store.latestCheckpoint();
        List<Map<String, Object>> records = new ArrayList<>(indexes.size());
        for (int from = 0; from < indexes.size(); from += PROOF_BATCH_ENTRIES_MAX) {
            records.addAll(records(indexes.subList(from, Math.min(indexes.size(), from + PROOF_BATCH_ENTRIES_MAX)), checkpoint));
        }
        return HeldData.of(NAME, DESCRIPTION, records);
    }

    private List<Map<String, Object>> records(List<Long> indexes, Optional<LogStore.StoredCheckpoint> checkpoint) {
        Map<Long, byte[]> entries = store.entriesAt(indexes);
        long size = checkpoint.map(LogStore.StoredCheckpoint::size).orElse(0L);
        Set<NodeId> needed = new LinkedHashSet<>();
        indexes.stream().filter(index -> index < size).forEach(index -> needed.addAll(MerkleProofs.inclusionNodes(index, size)));
        Map<NodeId, byte[]> hashes = store.nodes(List.copyOf(needed));
        Base64.Encoder base64 = Base64.getEncoder();
        List<Map<String, Object>> records = new ArrayList<>(indexes.size());
        for (long index : indexes) {
            byte[] entry = entries.get(index);
            if (entry == null) {
                throw new IllegalStateException("audit_user_entries names entry " + index + ", which the log does not hold");
            }
            Map<String, Object> fields = new LinkedHashMap<>(CanonicalJson.toMap(json.readTree(entry)));
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("kind", "audit-entry");
            record.put("index", index);
            record.put("time", String.valueOf(fields.remove("time")));
            record.put("type", String.valueOf(fields.remove("type")));
            fields.remove("index");
            record.put("fields", fields);
            record.put("entry", base64.encodeToString(entry));
            record.put("leafHash", base64.encodeToString(MerkleHash.leafHash(entry)));
            record.put("covered", index < size);
            if (index < size) {
                record.put("proof", Map.of(
                        "treeSize", size,
                        "checkpoint", checkpoint.orElseThrow().note(),
                        "hashes", MerkleProofs.inclusionProof(index, size, hashes).stream().map(base64::encodeToString).toList()));
            }
            records.add(record);
        }
        return records;
    }

    @Override
    public Erasure erase(DataSubject subject) {
        long entries = jdbc.sql("SELECT count(*) FROM audit_user_entries WHERE user_tag = :tag")
                .param("tag", userTag(subject)).query(Long.class).single();
        return new Erasure(NAME, List.of(), List.of(
                new Erasure.Retained("audit_entries", entries, BASIS),
                new Erasure.Retained("audit_user_entries", entries, BASIS)), List.of());
    }
}
