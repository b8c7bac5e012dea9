package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's state file: round trip, atomic replacement, strict reading, versions never go down. */
class ReleaseClientStateTest {
    @TempDir
    Path dir;

    private static final Checkpoint CHECKPOINT = Checkpoint.timed("capsule.local/releases/x", 12,
            MerkleHash.leafHash(new byte[] {1}), Instant.parse("2026-12-06T12:00:00Z"));

    @Test
    void writesAtomicallyAndReadsBackTheSameState() throws Exception {
        Path file = dir.resolve("release-state.json");
        assertThat(ReleaseClientState.read(file)).as("no file yet: nothing seen").isEqualTo(ReleaseClientState.empty());
        ReleaseClientState state = ReleaseClientState.empty().withRelease(CHECKPOINT, "com.example.todo", SemanticVersion.parse("1.2.0"))
                .withRevocationSequence(7);
        state.write(file);
        state.write(file); // replacing an existing file
        assertThat(ReleaseClientState.read(file)).isEqualTo(state);
        assertThat(Files.list(dir)).as("no temporary file left behind").containsExactly(file);
        assertThat(Files.readString(file)).startsWith("{\"format\":\"capsule-release-client-state/1\",\"checkpoint\":{\"origin\":");
    }

    @Test
    void versionsAndRevocationSequenceNeverGoDown() {
        ReleaseClientState state = ReleaseClientState.empty()
                .withRelease(CHECKPOINT, "com.example.todo", SemanticVersion.parse("2.0.0"))
                .withRelease(CHECKPOINT, "com.example.todo", SemanticVersion.parse("1.0.0"))
                .withRevocationSequence(9).withRevocationSequence(3);
        assertThat(state.highestVersion("com.example.todo")).contains(SemanticVersion.parse("2.0.0"));
        assertThat(state.revocationSequence()).isEqualTo(9);
    }

    @Test
    void aMalformedFileIsAnErrorNeverAFreshStart() throws Exception {
        Path file = dir.resolve("state.json");
        String good = new String(new ReleaseClientState(Optional.of(CHECKPOINT), Map.of("com.example.todo", SemanticVersion.parse("1.0.0")), 2)
                .toJson(), StandardCharsets.UTF_8);
        for (String bad : new String[] {"", "{}", good.replace("\"revocationSequence\":2", "\"revocationSequence\":-1"),
                good.replace("1.0.0", "one"), good.replace("{\"format\"", "{\"extra\":1,\"format\""), good.replace(",\"time\":1796558400", "")}) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> ReleaseClientState.read(file)).as(bad).isInstanceOf(ReleaseFormatException.class);
        }
    }
}
