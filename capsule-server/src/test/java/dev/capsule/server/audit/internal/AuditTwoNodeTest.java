package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.testing.server.TwoNodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two server nodes on one database record events and publish checkpoints at the same time: the result
 * is one tree with no gap and no duplicate, every stored subtree hash and every checkpoint root matches a
 * recomputation from the entries, and successive checkpoints are consistent.
 */
class AuditTwoNodeTest {
    static final int THREADS_PER_NODE = 3;
    static final int EVENTS_PER_THREAD = 200;
    static final int PUBLISHES_PER_NODE = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void concurrentAppendsFromTwoNodesMakeOneGaplessConsistentTree() throws Exception {
        try (TwoNodes nodes = TwoNodes.start()) {
            List<TwoNodes.Node> both = List.of(nodes.first(), nodes.second());
            ExecutorService pool = Executors.newFixedThreadPool(both.size() * (THREADS_PER_NODE + 1));
            List<Future<?>> work = new ArrayList<>();
            for (int n = 0; n < both.size(); n++) {
                ApplicationEventPublisher trail = both.get(n).context();
                CheckpointPublisher publisher = both.get(n).context().getBean(CheckpointPublisher.class);
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    String prefix = "n" + n + "-t" + t + "-";
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                            trail.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, prefix + i, null));
                        }
                    }));
                }
                work.add(pool.submit(() -> {
                    for (int p = 0; p < PUBLISHES_PER_NODE; p++) {
                        publisher.publishNow();
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            LogStore.StoredCheckpoint last = nodes.second().context().getBean(CheckpointPublisher.class).publishNow();
            JdbcClient jdbc = nodes.first().jdbc();
            LogStore store = nodes.first().context().getBean(LogStore.class);

            long size = last.size();
            assertThat(jdbc.sql("SELECT count(*) FROM audit_pending").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM audit_entries").query(Long.class).single()).isEqualTo(size);
            assertThat(store.size()).isEqualTo(size);

            List<byte[]> entries = new ArrayList<>();
            for (long start = 0; start < size; start += 1000) {
                store.entries(start, Math.min(size, start + 1000)).forEach(e -> entries.add(e.entry()));
            }
            Map<String, Long> indexOfReason = new HashMap<>();
            Set<String> eventIds = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                JsonNode entry = JSON.readTree(entries.get(i));
                assertThat(entry.get("index").asLong()).isEqualTo(i);
                assertThat(eventIds.add(entry.get("event").asString())).as("event recorded once").isTrue();
                if (entry.get("type").asString().equals("operator.enable")) {
                    assertThat(indexOfReason.put(entry.get("reason").asString(), (long) i)).as("no duplicate").isNull();
                }
            }
            assertThat(indexOfReason).hasSize(2 * THREADS_PER_NODE * EVENTS_PER_THREAD);
            for (int n = 0; n < 2; n++) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    for (int i = 1; i < EVENTS_PER_THREAD; i++) {
                        String prefix = "n" + n + "-t" + t + "-";
                        assertThat(indexOfReason.get(prefix + i)).as("one thread's events keep their order")
                                .isGreaterThan(indexOfReason.get(prefix + (i - 1)));
                    }
                }
            }

            // Every stored subtree hash is the recomputed one, and there is exactly one per perfect subtree.
            CompactRange tree = new CompactRange();
            Map<NodeId, byte[]> expected = new HashMap<>();
            Map<Long, byte[]> rootAt = new HashMap<>();
            for (byte[] entry : entries) {
                tree.append(MerkleHash.leafHash(entry), expected::put);
                rootAt.put(tree.size(), tree.root());
            }
            assertThat(jdbc.sql("SELECT count(*) FROM audit_nodes").query(Long.class).single()).isEqualTo(expected.size());
            Map<NodeId, byte[]> stored = store.nodes(new ArrayList<>(expected.keySet()));
            for (Map.Entry<NodeId, byte[]> node : expected.entrySet()) {
                assertThat(stored.get(node.getKey())).as("stored hash of %s", node.getKey()).isEqualTo(node.getValue());
            }

            List<LogStore.StoredCheckpoint> checkpoints = store.checkpoints(0, 1000);
            assertThat(checkpoints.size()).isGreaterThan(1);
            LogStore.StoredCheckpoint previous = null;
            for (LogStore.StoredCheckpoint checkpoint : checkpoints) {
                assertThat(checkpoint.rootHash()).as("root at %d", checkpoint.size()).isEqualTo(rootAt.get(checkpoint.size()));
                assertThat(AuditApi.published(checkpoint.size(), checkpoint.note()).root()).isEqualTo(checkpoint.rootHash());
                if (previous != null) {
                    List<byte[]> proof = MerkleProofs.consistencyProof(previous.size(), checkpoint.size(),
                            store.nodes(MerkleProofs.consistencyNodes(previous.size(), checkpoint.size())));
                    assertThat(MerkleProofs.verifyConsistency(previous.size(), checkpoint.size(), proof, previous.rootHash(),
                            checkpoint.rootHash())).isTrue();
                }
                previous = checkpoint;
            }
            assertThat(Arrays.equals(last.rootHash(), rootAt.get(size))).isTrue();
        }
    }
}
