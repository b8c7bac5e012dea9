package dev.capsule.server.releases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.testing.server.TwoNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two server nodes on one database publish releases at the same time: one release log with no gap and no
 * duplicate, every checkpoint's root equal to a recomputation from the entries, and both nodes serving the same
 * stored revocation list.
 */
class ReleasesTwoNodeTest {
    static final int THREADS_PER_NODE = 2;
    static final int APPROVALS_PER_THREAD = 4;

    @Test
    void concurrentReleasesOnTwoNodesMakeOneGaplessLogWhoseCheckpointsMatchIt() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(TestRegistry.Config.class)) {
            List<TwoNodes.Node> both = List.of(nodes.first(), nodes.second());
            ExecutorService pool = Executors.newFixedThreadPool(both.size() * THREADS_PER_NODE);
            List<Future<?>> work = new ArrayList<>();
            for (int n = 0; n < both.size(); n++) {
                TestRegistry registry = both.get(n).context().getBean(TestRegistry.class);
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    String app = "com.example.node" + n + "t" + t;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < APPROVALS_PER_THREAD; i++) {
                            registry.approve(app, "1." + i + ".0", TestRegistry.someApprover());
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> done : work) {
                done.get();
            }
            pool.shutdown();

            JdbcClient jdbc = nodes.first().jdbc();
            List<byte[]> entries = jdbc.sql("SELECT entry FROM release_log_entries ORDER BY idx").query(byte[].class).list();
            int expected = both.size() * THREADS_PER_NODE * APPROVALS_PER_THREAD * 2; // a release and a rollout entry each
            assertThat(entries).hasSize(expected);
            assertThat(jdbc.sql("SELECT max(idx) FROM release_log_entries").query(Long.class).single()).isEqualTo(expected - 1);

            List<byte[]> roots = new ArrayList<>();
            CompactRange tree = new CompactRange();
            roots.add(tree.root());
            for (byte[] entry : entries) {
                tree.append(MerkleHash.leafHash(entry));
                roots.add(tree.root());
            }
            List<Object[]> checkpoints = jdbc.sql("SELECT size, root_hash FROM release_log_checkpoints ORDER BY id")
                    .query((row, i) -> new Object[] {row.getLong(1), row.getBytes(2)}).list();
            assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(both.size() * THREADS_PER_NODE * APPROVALS_PER_THREAD);
            for (Object[] checkpoint : checkpoints) {
                assertThat((byte[]) checkpoint[1]).as("root of checkpoint size " + checkpoint[0]).isEqualTo(roots.get((int) (long) checkpoint[0]));
            }

            String first = nodes.first().https().get("/api/v1/releases/revocations").body();
            assertThat(nodes.second().https().get("/api/v1/releases/revocations").body()).isEqualTo(first);
        }
    }
}
