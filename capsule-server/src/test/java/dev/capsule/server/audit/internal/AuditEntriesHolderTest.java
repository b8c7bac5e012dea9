package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.PersonalDataHolder;
import dev.capsule.testing.server.CapsuleServerTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log's personal-data holder: a person's entries found through the sequencer's index by user pseudonym,
 * each with an inclusion proof that core's verifier accepts against the signed checkpoint; another person's entries
 * never; erasure keeps the log as it is and says why.
 */
@CapsuleServerTest
class AuditEntriesHolderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    @Autowired ApplicationEventPublisher events;
    @Autowired CheckpointPublisher checkpoints;
    @Autowired Sequencer sequencer;
    @Autowired LogStore store;
    @Autowired Pseudonyms pseudonyms;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transactions;
    @Autowired List<PersonalDataHolder> holders;

    private static String user(String name) {
        return name + "-" + System.nanoTime();
    }

    private void hostEvent(HostEvent.What kind, String user) {
        events.publishEvent(new HostEvent(kind, "success", Optional.empty(), Optional.of(new ShellUserId(user)), Optional.empty()));
    }

    private AuditEntriesHolder holder() {
        return holders.stream().filter(AuditEntriesHolder.class::isInstance).map(AuditEntriesHolder.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aPersonsExportHoldsExactlyTheirEntriesEachWithAProofThatVerifiesAgainstTheSignedCheckpoint() {
        String ada = user("ada");
        String bob = user("bob");
        hostEvent(HostEvent.What.SHELL_ENTER, ada);
        hostEvent(HostEvent.What.SHELL_ENTER, bob);
        events.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        hostEvent(HostEvent.What.SESSION_END, ada);
        LogStore.StoredCheckpoint checkpoint = checkpoints.publishNow();

        HeldData adas = holder().export(new DataSubject(ada));
        HeldData bobs = holder().export(new DataSubject(bob));

        assertThat(adas.holder()).isEqualTo("audit.entries");
        assertThat(adas.truncated()).isFalse();
        assertThat(adas.records()).extracting(r -> r.get("type")).containsExactly("shell.enter", "session.end");
        assertThat(bobs.records()).extracting(r -> r.get("type")).containsExactly("shell.enter");
        String adaTag = pseudonyms.tag("shell-user:" + ada);
        String bobTag = pseudonyms.tag("shell-user:" + bob);
        assertThat(adas.records()).allSatisfy(r -> assertThat(((Map<?, ?>) r.get("fields")).get("user")).isEqualTo(adaTag));
        assertThat(adas.records()).allSatisfy(r -> assertThat(r).containsEntry("kind", "audit-entry"));
        assertThat(adas.records().toString()).doesNotContain(bobTag).doesNotContain(ada);
        assertThat(bobs.records().toString()).doesNotContain(adaTag);

        String[] note = checkpoint.note().split("\n");
        long size = Long.parseLong(note[1]);
        byte[] root = BASE64.decode(note[2]);
        for (Map<String, Object> record : adas.records()) {
            long index = (Long) record.get("index");
            byte[] entry = BASE64.decode((String) record.get("entry"));
            JsonNode parsed = JSON.readTree(entry);
            assertThat(parsed.get("index").asLong()).isEqualTo(index);
            assertThat(parsed.get("time").asString()).isEqualTo(record.get("time"));
            assertThat(record.get("covered")).isEqualTo(true);
            Map<?, ?> proof = (Map<?, ?>) record.get("proof");
            assertThat(proof.get("treeSize")).isEqualTo(size);
            assertThat(proof.get("checkpoint")).isEqualTo(checkpoint.note());
            List<byte[]> hashes = ((List<?>) proof.get("hashes")).stream().map(h -> BASE64.decode((String) h)).toList();
            byte[] leaf = MerkleHash.leafHash(entry);
            assertThat(BASE64.decode((String) record.get("leafHash"))).isEqualTo(leaf);
            assertThat(MerkleProofs.verifyInclusion(index, size, leaf, hashes, root)).as("entry %d", index).isTrue();
            // The negative cases: another index, or one changed byte of the entry, does not verify.
            assertThat(MerkleProofs.verifyInclusion(index == 0 ? 1 : index - 1, size, leaf, hashes, root)).isFalse();
            byte[] changed = entry.clone();
            changed[changed.length - 2] ^= 1;
            assertThat(MerkleProofs.verifyInclusion(index, size, MerkleHash.leafHash(changed), hashes, root)).isFalse();
        }
    }

    @Test
    void theSequencerIndexesEveryEntryThatNamesAUserAndNoOther() {
        long before = store.size();
        String ada = user("ada");
        hostEvent(HostEvent.What.SHELL_ENTER, ada);
        events.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        hostEvent(HostEvent.What.CONSENT_WITHDRAW, ada);
        checkpoints.publishNow();
        long after = store.size();

        List<String> expected = new ArrayList<>();
        for (var stored : store.entries(before, after)) {
            JsonNode entry = JSON.readTree(stored.entry());
            if (entry.has("user")) {
                expected.add(entry.get("user").asString() + "@" + stored.index());
            }
        }
        List<String> indexed = jdbc.sql("SELECT user_tag || '@' || idx FROM audit_user_entries WHERE idx >= ? AND idx < ? ORDER BY idx")
                .params(before, after).query(String.class).list();
        assertThat(indexed).isEqualTo(expected);
        assertThat(indexed).filteredOn(row -> row.startsWith(pseudonyms.tag("shell-user:" + ada))).hasSize(2);
        assertThat(after - before).as("the entry without a user is not indexed").isGreaterThan(indexed.size());
    }

    @Test
    void anEntryNoCheckpointCoversYetIsListedWithoutAProof() {
        String ada = user("ada");
        hostEvent(HostEvent.What.SHELL_ENTER, ada);
        checkpoints.publishNow();
        // Recorded and sequenced in a transaction that holds the sequencer's lock, which every checkpoint takes, until the
        // export is read: no checkpoint can cover the new entry in between.
        HeldData held = transactions.execute(status -> {
            sequencer.lock(true);
            hostEvent(HostEvent.What.SESSION_OPEN, ada);
            sequencer.run(false);
            return holder().export(new DataSubject(ada));
        });

        assertThat(held.records()).extracting(r -> r.get("type")).containsExactly("shell.enter", "session.open");
        assertThat(held.records().get(0)).containsEntry("covered", true).containsKey("proof");
        assertThat(held.records().get(1)).containsEntry("covered", false).doesNotContainKey("proof");
    }

    @Test
    void erasureChangesNothingAndListsTheEntriesAsRetainedWithTheBasis() {
        String ada = user("ada");
        hostEvent(HostEvent.What.SHELL_ENTER, ada);
        hostEvent(HostEvent.What.SESSION_OPEN, ada);
        hostEvent(HostEvent.What.SHELL_ENTER, user("bob"));
        checkpoints.publishNow();
        long size = store.size();

        Erasure erasure = holder().erase(new DataSubject(ada));

        assertThat(erasure.holder()).isEqualTo("audit.entries");
        assertThat(erasure.deleted()).isEmpty();
        assertThat(erasure.subjectKeys()).isEmpty();
        assertThat(erasure.retained()).extracting(Erasure.Retained::table, Erasure.Retained::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("audit_entries", 2L), org.assertj.core.groups.Tuple.tuple("audit_user_entries", 2L));
        assertThat(erasure.retained()).allSatisfy(r -> assertThat(r.basis()).contains("verifiable").contains("pseudonym"));
        assertThat(store.size()).isGreaterThanOrEqualTo(size);
        assertThat(holder().export(new DataSubject(ada)).records()).hasSize(2);
        assertThat(holder().erase(new DataSubject(user("nobody"))).retained()).extracting(Erasure.Retained::rows).containsOnly(0L);
    }

    @Test
    void theIndexIsAppendOnly() {
        hostEvent(HostEvent.What.SHELL_ENTER, user("ada"));
        checkpoints.publishNow();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_user_entries SET idx = idx WHERE false").update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_user_entries WHERE false").update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO audit_user_entries (user_tag, idx) VALUES ('not-a-tag', 0)").update())
                .hasMessageContaining("audit_user_entries");
    }
}
