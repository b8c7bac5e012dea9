package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.testing.RepoPaths;
import dev.capsule.core.testing.TestReleaseLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's consistency check between its stored checkpoint and a newer one, wired to transparency-dev/merkle's
 * consistency vectors (../shared/vectors/merkle): with both roots under signed, fresh checkpoints, every growing
 * vector is accepted exactly when it is valid, and refused as {@code inconsistent-log} otherwise. (MerkleVectorsTest
 * holds the proof code itself to all vectors; this holds the check that uses it, argument order included.)
 */
class ReleaseCheckpointsVectorTest {
    private static final Instant NOW = TestReleaseLog.T0.plus(Duration.ofHours(1));

    @Test
    void growingConsistencyVectorsAreAcceptedExactlyWhenValid() throws IOException {
        TestReleaseLog platform = new TestReleaseLog();
        int checked = 0;
        int refused = 0;
        for (Path file : files()) {
            JsonNode v = JsonMapper.shared().readTree(Files.readAllBytes(file));
            if (!v.get("size1").canConvertToLong() || !v.get("size2").canConvertToLong()) {
                continue;
            }
            long size1 = v.get("size1").longValue();
            long size2 = v.get("size2").longValue();
            byte[] root1 = b64(v.get("root1"));
            byte[] root2 = b64(v.get("root2"));
            if (size1 < 1 || size2 <= size1 || !MerkleHash.isHash(root1) || !MerkleHash.isHash(root2)) {
                continue; // not a growth between two well-formed checkpoints: nothing for a client to check
            }
            Checkpoint stored = Checkpoint.timed(TestReleaseLog.ORIGIN, size1, root1, NOW.minusSeconds(600));
            String note = TestReleaseLog.checkpoint(size2, root2, NOW, platform.checkpointKey);
            ReleaseCheckpoints.Check check = ReleaseCheckpoints.check(note, platform.trust(), Optional.of(stored), hashes(v.get("proof")), NOW,
                    Duration.ofHours(24));
            boolean valid = !v.get("wantErr").booleanValue();
            String desc = file.getParent().getFileName() + "/" + file.getFileName() + ": " + v.get("desc").stringValue();
            if (valid) {
                assertThat(check).as(desc).isInstanceOf(ReleaseCheckpoints.Accepted.class);
            } else {
                assertThat(check).as(desc).isInstanceOfSatisfying(ReleaseCheckpoints.Refused.class,
                        r -> assertThat(r.rejection().reason()).isEqualTo(ReleaseOutcome.Reason.INCONSISTENT));
                refused++;
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(refused).isGreaterThan(5);
    }

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(RepoPaths.vector("merkle/testdata/consistency"))) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        return files;
    }

    private static byte[] b64(JsonNode node) {
        return node == null || node.isNull() ? new byte[0] : Base64.getDecoder().decode(node.stringValue());
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(n -> out.add(Base64.getDecoder().decode(n.stringValue())));
        }
        return out;
    }
}
