package dev.capsule.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link MerkleProofs} against transparency-dev/merkle's test vectors (../shared/vectors/merkle, commit 417fb0c):
 * every valid inclusion and consistency proof is accepted, every {@code wantErr} case rejected; and every valid
 * proof over the RFC 6962 reference leaves is exactly what {@link MerkleProofs} generates.
 */
class MerkleVectorsTest {
    /** The eight leaves of RFC 6962's (and transparency-dev/merkle's) reference tree, whose size-8 root is 5dc9da79... */
    private static final List<byte[]> REFERENCE_ENTRIES = Stream.of(
                    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
            .map(HexFormat.of()::parseHex).toList();
    private static final ReferenceTree REFERENCE = ReferenceTree.ofEntries(REFERENCE_ENTRIES);

    @TestFactory
    Stream<DynamicTest> everyInclusionVectorGivesTheExpectedResult() throws IOException {
        List<Path> files = vectorFiles("inclusion");
        assertThat(files).hasSizeGreaterThan(40);
        return files.stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = read(file);
            List<byte[]> proof = hashes(v.get("proof"));
            if (!fitsLong(v, "leafIdx") || !fitsLong(v, "treeSize")) {
                // The reference verifier uses uint64; beyond a long (>= 2^63) there is no such tree here.
                assertThat(v.get("wantErr").booleanValue()).as("vector with a uint64 beyond long must be an error").isTrue();
                return;
            }
            long index = v.get("leafIdx").longValue();
            long size = v.get("treeSize").longValue();
            byte[] leafHash = b64(v, "leafHash");
            boolean accepted = MerkleProofs.verifyInclusion(index, size, leafHash, proof, b64(v, "root"));
            assertThat(accepted).as(v.get("desc").stringValue()).isEqualTo(!v.get("wantErr").booleanValue());
            if (accepted && size <= REFERENCE.size() && java.util.Arrays.equals(leafHash, REFERENCE.leaf((int) index))) {
                // A valid proof over the reference leaves is exactly the one we generate.
                assertThat(MerkleProofs.inclusionProof(index, size, REFERENCE.allNodes()))
                        .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof);
                assertThat(MerkleProofs.root(size, REFERENCE.allNodes())).isEqualTo(b64(v, "root"));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyConsistencyVectorGivesTheExpectedResult() throws IOException {
        List<Path> files = vectorFiles("consistency");
        assertThat(files).hasSizeGreaterThan(40);
        return files.stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = read(file);
            if (!fitsLong(v, "size1") || !fitsLong(v, "size2")) {
                assertThat(v.get("wantErr").booleanValue()).as("vector with a uint64 beyond long must be an error").isTrue();
                return;
            }
            long size1 = v.get("size1").longValue();
            long size2 = v.get("size2").longValue();
            List<byte[]> proof = hashes(v.get("proof"));
            boolean accepted = MerkleProofs.verifyConsistency(size1, size2, proof, b64(v, "root1"), b64(v, "root2"));
            assertThat(accepted).as(v.get("desc").stringValue()).isEqualTo(!v.get("wantErr").booleanValue());
            if (accepted && size1 < size2 && size2 <= REFERENCE.size()) {
                assertThat(MerkleProofs.consistencyProof(size1, size2, REFERENCE.allNodes()))
                        .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof);
            }
        }));
    }

    @Test
    void referenceTreeRootMatchesRfc6962() {
        assertThat(HexFormat.of().formatHex(REFERENCE.root(8)))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        assertThat(MerkleProofs.root(8, REFERENCE.allNodes())).isEqualTo(REFERENCE.root(8));
    }

    private static boolean fitsLong(JsonNode v, String field) {
        return v.get(field).canConvertToLong();
    }

    private static List<Path> vectorFiles(String kind) throws IOException {
        Path dir = RepoPaths.vector("merkle/testdata/" + kind);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        return files;
    }

    private static String name(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    private static JsonNode read(Path file) throws IOException {
        return JsonMapper.shared().readTree(Files.readAllBytes(file));
    }

    private static byte[] b64(JsonNode v, String field) {
        return Base64.getDecoder().decode(v.get(field).stringValue());
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(n -> out.add(Base64.getDecoder().decode(n.stringValue())));
        }
        return out;
    }
}
