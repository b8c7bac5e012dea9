package dev.capsule.bench;

import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audit log proofs at 10^7 leaves (docs/benchmarks.md): inclusion and consistency proofs assembled from an in-memory
 * store of every perfect subtree hash (as the server keeps them in PostgreSQL, minus the query), and their verification.
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar MerkleBenchmark}. Setup hashes 10^7 leaves and keeps
 * about 2 x 10^7 node hashes (640 MB), hence the fork's heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MerkleBenchmark {
    private static final int SAMPLES = 1024;

    /** Not a power of two, so proofs near the right edge fold several stored subtrees into one hash. */
    @Param("10000000")
    long size;

    private LevelStore store;
    private byte[] root;
    private long[] indexes;
    private byte[][] leaves;
    private List<byte[]>[] proofs;
    private long[] oldSizes;
    private byte[][] oldRoots;
    private List<byte[]>[] consistencyProofs;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        store = new LevelStore(size);
        CompactRange range = new CompactRange();
        for (long i = 0; i < size; i++) {
            range.append(MerkleHash.leafHash(ByteBuffer.allocate(8).putLong(i).array()), store::put);
        }
        root = range.root();
        Random random = new Random(10_000_000);
        indexes = new long[SAMPLES];
        leaves = new byte[SAMPLES][];
        proofs = new List[SAMPLES];
        oldSizes = new long[SAMPLES];
        oldRoots = new byte[SAMPLES][];
        consistencyProofs = new List[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            indexes[i] = Math.floorMod(random.nextLong(), size);
            leaves[i] = store.get(NodeId.leaf(indexes[i]));
            proofs[i] = MerkleProofs.inclusionProof(indexes[i], size, store);
            oldSizes[i] = 1 + Math.floorMod(random.nextLong(), size - 1);
            oldRoots[i] = MerkleProofs.root(oldSizes[i], store);
            consistencyProofs[i] = MerkleProofs.consistencyProof(oldSizes[i], size, store);
            if (!MerkleProofs.verifyInclusion(indexes[i], size, leaves[i], proofs[i], root)
                    || !MerkleProofs.verifyConsistency(oldSizes[i], size, consistencyProofs[i], oldRoots[i], root)) {
                throw new IllegalStateException("a generated proof does not verify");
            }
        }
    }

    private int sample() {
        next = (next + 1) & (SAMPLES - 1);
        return next;
    }

    /** Which stored subtrees an inclusion proof needs (what the server asks the database for). */
    @Benchmark
    public List<NodeId> inclusionNodes() {
        return MerkleProofs.inclusionNodes(indexes[sample()], size);
    }

    /** Node list, lookups and the folding of right-edge subtrees: a complete inclusion proof. */
    @Benchmark
    public List<byte[]> inclusionProof() {
        return MerkleProofs.inclusionProof(indexes[sample()], size, store);
    }

    @Benchmark
    public boolean verifyInclusion() {
        int i = sample();
        return MerkleProofs.verifyInclusion(indexes[i], size, leaves[i], proofs[i], root);
    }

    @Benchmark
    public List<byte[]> consistencyProof() {
        return MerkleProofs.consistencyProof(oldSizes[sample()], size, store);
    }

    @Benchmark
    public boolean verifyConsistency() {
        int i = sample();
        return MerkleProofs.verifyConsistency(oldSizes[i], size, consistencyProofs[i], oldRoots[i], root);
    }

    /**
     * Every perfect subtree hash of a tree, one flat array per level (32 bytes per node), read through the
     * {@code Map} view that {@link MerkleProofs} takes.
     */
    private static final class LevelStore extends AbstractMap<NodeId, byte[]> {
        private final byte[][] levels;

        LevelStore(long size) {
            int height = 64 - Long.numberOfLeadingZeros(size);
            levels = new byte[height][];
            for (int level = 0; level < height; level++) {
                levels[level] = new byte[Math.toIntExact((size >> level) * MerkleHash.SIZE_BYTES)];
            }
        }

        @Override
        public byte[] put(NodeId id, byte[] hash) {
            System.arraycopy(hash, 0, levels[id.level()], Math.toIntExact(id.index() * MerkleHash.SIZE_BYTES), MerkleHash.SIZE_BYTES);
            return null;
        }

        @Override
        public byte[] get(Object key) {
            NodeId id = (NodeId) key;
            byte[] level = levels[id.level()];
            int offset = Math.toIntExact(id.index() * MerkleHash.SIZE_BYTES);
            if (offset + MerkleHash.SIZE_BYTES > level.length) {
                return null;
            }
            byte[] hash = new byte[MerkleHash.SIZE_BYTES];
            System.arraycopy(level, offset, hash, 0, MerkleHash.SIZE_BYTES);
            return hash;
        }

        @Override
        public Set<Entry<NodeId, byte[]>> entrySet() {
            throw new UnsupportedOperationException("the benchmark store is read by key only");
        }
    }
}
