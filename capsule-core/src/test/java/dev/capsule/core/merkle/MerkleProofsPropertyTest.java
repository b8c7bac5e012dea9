package dev.capsule.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Generation checked against verification and against the RFC's recursive definitions: every index and size
 * up to a few hundred leaves, and random sizes up to 2^62 (over a virtual tree whose hashes are computed on demand).
 */
class MerkleProofsPropertyTest {
    private static final int SMALL_SIZE_MAX = 260;
    private static final ReferenceTree TREE = ReferenceTree.synthetic(SMALL_SIZE_MAX);
    private static final Map<NodeId, byte[]> NODES = TREE.allNodes();

    @Test
    void rootFromStoredNodesEqualsTheRecursiveRootForEverySize() {
        CompactRange range = new CompactRange();
        assertThat(MerkleProofs.root(0, Map.of())).isEqualTo(MerkleHash.emptyRoot());
        assertThat(range.root()).isEqualTo(MerkleHash.emptyRoot());
        for (int size = 1; size <= SMALL_SIZE_MAX; size++) {
            range.append(TREE.leaf(size - 1));
            assertThat(MerkleProofs.root(size, NODES)).as("size %d", size).isEqualTo(TREE.root(size));
            assertThat(range.root()).as("compact range at size %d", size).isEqualTo(TREE.root(size));
            assertThat(range.size()).isEqualTo(size);
        }
    }

    @Test
    void inclusionProofOfEveryLeafIsTheRfcPathAndVerifies() {
        for (int size = 1; size <= SMALL_SIZE_MAX; size++) {
            byte[] root = TREE.root(size);
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = MerkleProofs.inclusionProof(index, size, NODES);
                assertThat(proof).as("index %d size %d", index, size)
                        .usingElementComparator(Arrays::compare).containsExactlyElementsOf(TREE.path(index, size));
                assertThat(MerkleProofs.verifyInclusion(index, size, TREE.leaf(index), proof, root)).isTrue();
                for (NodeId id : MerkleProofs.inclusionNodes(index, size)) {
                    assertThat(id.endLeaf()).isLessThanOrEqualTo(size);
                }
            }
        }
    }

    @Test
    void inclusionVerificationRejectsWrongLeafIndexSizeRootOrProof() {
        Random random = new Random(6);
        for (int size = 2; size <= SMALL_SIZE_MAX; size += 7) {
            byte[] root = TREE.root(size);
            int index = random.nextInt(size);
            List<byte[]> proof = MerkleProofs.inclusionProof(index, size, NODES);
            byte[] leaf = TREE.leaf(index);
            assertThat(MerkleProofs.verifyInclusion(index, size, TREE.leaf((index + 1) % size), proof, root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion((index + 1) % size, size, leaf, proof, root)).isFalse();
            // The size is bound by the root (a checkpoint signs both): the same path against the next tree's root fails.
            assertThat(MerkleProofs.verifyInclusion(index, size + 1, leaf, proof, TREE.root(size + 1))).isFalse();
            assertThat(MerkleProofs.verifyInclusion(index, size, leaf, proof, TREE.root(size - 1))).isFalse();
            assertThat(MerkleProofs.verifyInclusion(index, size, leaf, proof.subList(0, proof.size() - 1), root)).isFalse();
            for (int i = 0; i < proof.size(); i++) {
                assertThat(MerkleProofs.verifyInclusion(index, size, leaf, flipBit(proof, i, random), root)).isFalse();
            }
            List<byte[]> longer = new ArrayList<>(proof);
            longer.add(root);
            assertThat(MerkleProofs.verifyInclusion(index, size, leaf, longer, root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion(size, size, leaf, proof, root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion(-1, size, leaf, proof, root)).isFalse();
        }
    }

    @Test
    void consistencyProofBetweenEverySizePairIsTheRfcProofAndVerifies() {
        int max = 130;
        for (int size2 = 1; size2 <= max; size2++) {
            byte[] root2 = TREE.root(size2);
            for (int size1 = 1; size1 <= size2; size1++) {
                List<byte[]> proof = MerkleProofs.consistencyProof(size1, size2, NODES);
                assertThat(proof).as("%d -> %d", size1, size2)
                        .usingElementComparator(Arrays::compare).containsExactlyElementsOf(TREE.consistency(size1, size2));
                assertThat(MerkleProofs.verifyConsistency(size1, size2, proof, TREE.root(size1), root2))
                        .as("%d -> %d", size1, size2).isTrue();
            }
        }
    }

    @Test
    void consistencyVerificationRejectsWrongSizesRootsOrProof() {
        Random random = new Random(9);
        for (int size2 = 3; size2 <= SMALL_SIZE_MAX; size2 += 11) {
            int size1 = 1 + random.nextInt(size2 - 1);
            byte[] root1 = TREE.root(size1);
            byte[] root2 = TREE.root(size2);
            List<byte[]> proof = MerkleProofs.consistencyProof(size1, size2, NODES);
            assertThat(MerkleProofs.verifyConsistency(size1, size2, proof, root1, root2)).isTrue();
            assertThat(MerkleProofs.verifyConsistency(size1, size2, proof, root2, root1)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size1, size2, proof, TREE.root(size1 + 1), root2)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size1, size2, proof, root1, TREE.root(size2 - 1))).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size1, size2 + 1, proof, root1, TREE.root(size2 + 1))).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size1, size2, List.of(), root1, root2)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(0, size2, proof, MerkleHash.emptyRoot(), root2)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size2, size1, proof, root2, root1)).isFalse();
            for (int i = 0; i < proof.size(); i++) {
                assertThat(MerkleProofs.verifyConsistency(size1, size2, flipBit(proof, i, random), root1, root2)).isFalse();
            }
        }
    }

    @Test
    void proofsAtRandomHugeSizesVerify() {
        Random random = new Random(62);
        for (int round = 0; round < 300; round++) {
            long size = 1 + (random.nextLong() >>> (1 + random.nextInt(62)));
            long index = Math.floorMod(random.nextLong(), size);
            long size1 = 1 + Math.floorMod(random.nextLong(), size);
            VirtualTree tree = new VirtualTree(new HashSet<>(List.of(index, size - 1, size1 - 1, 0L, size / 2)));
            byte[] root = MerkleProofs.root(size, tree.hashes(MerkleProofs.rootNodes(size)));
            byte[] root1 = MerkleProofs.root(size1, tree.hashes(MerkleProofs.rootNodes(size1)));

            List<byte[]> inclusion = MerkleProofs.inclusionProof(index, size, tree.hashes(MerkleProofs.inclusionNodes(index, size)));
            assertThat(inclusion.size()).isLessThanOrEqualTo(64);
            assertThat(MerkleProofs.verifyInclusion(index, size, tree.leaf(index), inclusion, root)).as("index %d size %d", index, size).isTrue();
            if (index > 0) {
                assertThat(MerkleProofs.verifyInclusion(index, size, tree.leaf(0), inclusion, root)).isFalse();
            }

            List<byte[]> consistency = MerkleProofs.consistencyProof(size1, size, tree.hashes(MerkleProofs.consistencyNodes(size1, size)));
            assertThat(MerkleProofs.verifyConsistency(size1, size, consistency, root1, root)).as("%d -> %d", size1, size).isTrue();
            if (size1 < size && !consistency.isEmpty()) {
                assertThat(MerkleProofs.verifyConsistency(size1, size, flipBit(consistency, 0, random), root1, root)).isFalse();
            }
        }
    }

    @Test
    void proofAtTheLargestSizeHasSixtyTwoHashes() {
        long size = Long.MAX_VALUE;
        VirtualTree tree = new VirtualTree(Set.of(0L, size - 1));
        List<NodeId> nodes = MerkleProofs.inclusionNodes(size - 1, size);
        List<byte[]> proof = MerkleProofs.inclusionProof(size - 1, size, tree.hashes(nodes));
        assertThat(proof).hasSize(62);
        assertThat(MerkleProofs.verifyInclusion(size - 1, size, tree.leaf(size - 1), proof,
                MerkleProofs.root(size, tree.hashes(MerkleProofs.rootNodes(size))))).isTrue();
    }

    @Test
    void assemblingNamesTheMissingNode() {
        Map<NodeId, byte[]> partial = new HashMap<>(NODES);
        NodeId needed = MerkleProofs.inclusionNodes(5, 100).get(1);
        partial.remove(needed);
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(5, 100, partial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(needed.toString());
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(100, 100, NODES)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(0, 100, NODES)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(7, 6, NODES)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MerkleProofs.consistencyProof(7, 7, NODES)).isEmpty();
    }

    @Test
    void compactRangeReportsEveryCompletedSubtreeOnceAndResumes() {
        Map<NodeId, byte[]> seen = new HashMap<>();
        CompactRange range = new CompactRange();
        for (int i = 0; i < 100; i++) {
            range.append(TREE.leaf(i), (id, hash) -> assertThat(seen.put(id, hash)).as("%s reported twice", id).isNull());
            if (i == 57) {
                CompactRange resumed = CompactRange.resume(range.size(), range.edgeHashes());
                for (int j = 58; j < 100; j++) {
                    resumed.append(TREE.leaf(j));
                }
                assertThat(resumed.root()).isEqualTo(TREE.root(100));
            }
        }
        // Perfect subtrees in 100 leaves: 100 + 50 + 25 + 12 + 6 + 3 + 1.
        assertThat(seen).hasSize(197);
        seen.forEach((id, hash) -> assertThat(hash).isEqualTo(NODES.get(id)));
        assertThatThrownBy(() -> CompactRange.resume(5, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing hash");
        assertThatThrownBy(() -> range.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeIdRejectsOutOfRangeLevelsAndIndexes() {
        assertThatThrownBy(() -> new NodeId(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeId(63, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeId(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeId(62, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new NodeId(3, 5).firstLeaf()).isEqualTo(40);
        assertThat(new NodeId(3, 5).endLeaf()).isEqualTo(48);
    }

    private static List<byte[]> flipBit(List<byte[]> proof, int which, Random random) {
        List<byte[]> copy = new ArrayList<>(proof.stream().map(byte[]::clone).toList());
        copy.get(which)[random.nextInt(MerkleHash.SIZE_BYTES)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    /**
     * A tree of any size whose leaves all share one hash except a few "special" ones, so every perfect subtree's
     * hash is computable on demand in O(level) work: a subtree without special leaves has the shared hash of its level.
     */
    private static final class VirtualTree {
        private final TreeSet<Long> specials;
        private final byte[][] plain = new byte[NodeId.LEVEL_MAX + 1][];
        private final Map<NodeId, byte[]> memo = new HashMap<>();

        VirtualTree(Set<Long> specials) {
            this.specials = new TreeSet<>(specials);
            plain[0] = MerkleHash.leafHash(new byte[] {'x'});
            for (int level = 1; level <= NodeId.LEVEL_MAX; level++) {
                plain[level] = MerkleHash.nodeHash(plain[level - 1], plain[level - 1]);
            }
        }

        byte[] leaf(long index) {
            return hash(NodeId.leaf(index));
        }

        Map<NodeId, byte[]> hashes(List<NodeId> ids) {
            Map<NodeId, byte[]> out = new HashMap<>();
            ids.forEach(id -> out.put(id, hash(id)));
            return out;
        }

        byte[] hash(NodeId id) {
            Long special = specials.ceiling(id.firstLeaf());
            if (special == null || special >= id.firstLeaf() + (1L << id.level()) || special < id.firstLeaf()) {
                return plain[id.level()];
            }
            byte[] cached = memo.get(id);
            if (cached != null) {
                return cached;
            }
            byte[] hash = id.level() == 0
                    ? MerkleHash.leafHash(ByteBuffer.allocate(8).putLong(id.index()).array())
                    : MerkleHash.nodeHash(hash(id.leftChild()), hash(id.rightChild()));
            memo.put(id, hash);
            return hash;
        }
    }
}
