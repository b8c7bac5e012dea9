package dev.capsule.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoint bodies (C2SP tlog-checkpoint) and their signed notes. */
class CheckpointTest {
    private static final String ORIGIN = "capsule.local/audit/0b6f2a4e";
    private static final SigningKey KEY = SigningKey.generate();
    private static final byte[] ROOT = MerkleHash.leafHash("x".getBytes(StandardCharsets.UTF_8));

    @Test
    void bodyIsOriginSizeAndBase64RootEachOnALine() throws Exception {
        Checkpoint checkpoint = new Checkpoint(ORIGIN, 42, ROOT);
        String body = checkpoint.body();
        assertThat(body).isEqualTo(ORIGIN + "\n42\n" + java.util.Base64.getEncoder().encodeToString(ROOT) + "\n");
        assertThat(Checkpoint.parse(body)).isEqualTo(checkpoint);
    }

    @Test
    void theReleaseLogsTimeExtensionLineRoundTripsAndTheAuditFormStaysWithout() throws Exception {
        java.time.Instant time = java.time.Instant.ofEpochSecond(1796558400L);
        Checkpoint timed = Checkpoint.timed(ORIGIN, 42, ROOT, time.plusMillis(999));
        assertThat(timed.time()).contains(time);
        assertThat(timed.body()).isEqualTo(ORIGIN + "\n42\n" + java.util.Base64.getEncoder().encodeToString(ROOT) + "\ntime 1796558400\n");
        assertThat(Checkpoint.parse(timed.body())).isEqualTo(timed);
        assertThat(new Checkpoint(ORIGIN, 42, ROOT).body()).doesNotContain("time");
        assertThat(Checkpoint.parse(new Checkpoint(ORIGIN, 42, ROOT).body())).isNotEqualTo(timed);
        byte[] note = timed.sign(KEY.publicKey(), KEY::sign).encode();
        assertThat(CheckpointVerification.verify(note, List.of(KEY.publicKey())))
                .isInstanceOfSatisfying(CheckpointVerification.Verified.class, v -> assertThat(v.checkpoint().time()).contains(time));
        String root = java.util.Base64.getEncoder().encodeToString(ROOT);
        for (String bad : List.of("time 01\n", "time -1\n", "time \n", "time 1 \n", "Time 1\n", "time 1\ntime 2\n",
                "time 99999999999999999999\n", "other 1\n")) {
            assertThatThrownBy(() -> Checkpoint.parse(ORIGIN + "\n42\n" + root + "\n" + bad)).as(bad).isInstanceOf(LogFormatException.class);
        }
    }

    @Test
    void parseRejectsEveryDeviationFromTheFormat() {
        String root = java.util.Base64.getEncoder().encodeToString(ROOT);
        List<String> bad = List.of(
                ORIGIN + "\n42\n" + root,
                ORIGIN + "\n042\n" + root + "\n",
                ORIGIN + "\n-1\n" + root + "\n",
                ORIGIN + "\n99999999999999999999\n" + root + "\n",
                ORIGIN + "\n42\n" + root + "\nextension\n",
                ORIGIN + "\n42\n" + root.substring(0, root.length() - 1) + "\n",
                ORIGIN + "\n42\n" + java.util.Base64.getEncoder().encodeToString(new byte[31]) + "\n",
                "\n42\n" + root + "\n",
                "bad origin\n42\n" + root + "\n",
                ORIGIN + "\n\n" + root + "\n");
        for (String body : bad) {
            assertThatThrownBy(() -> Checkpoint.parse(body)).as(body).isInstanceOf(LogFormatException.class);
        }
    }

    @Test
    void signedCheckpointVerifiesOnlyWithTheTrustedKeyUnderTheOriginsName() {
        Checkpoint checkpoint = new Checkpoint(ORIGIN, 7, ROOT);
        byte[] note = checkpoint.sign(KEY.publicKey(), KEY::sign).encode();
        assertThat(new String(note, StandardCharsets.UTF_8)).startsWith(checkpoint.body() + "\n\u2014 " + ORIGIN + " ");

        assertThat(CheckpointVerification.verify(note, List.of(KEY.publicKey())))
                .isInstanceOfSatisfying(CheckpointVerification.Verified.class, v -> assertThat(v.checkpoint()).isEqualTo(checkpoint));
        assertThat(CheckpointVerification.verify(note, List.of(SigningKey.generate().publicKey())))
                .isInstanceOfSatisfying(CheckpointVerification.Rejected.class,
                        r -> assertThat(r.reason()).contains("no signature by a trusted key"));

        // Same key, but the note claims another origin than the key name it was signed under.
        String forged = new String(note, StandardCharsets.UTF_8).replaceFirst(ORIGIN + "\n", "capsule.local/audit/other\n");
        assertThat(CheckpointVerification.verify(forged.getBytes(StandardCharsets.UTF_8), List.of(KEY.publicKey())))
                .isInstanceOf(CheckpointVerification.Rejected.class);

        // A changed size under the original signature.
        String resized = new String(note, StandardCharsets.UTF_8).replaceFirst("\n7\n", "\n8\n");
        assertThat(CheckpointVerification.verify(resized.getBytes(StandardCharsets.UTF_8), List.of(KEY.publicKey())))
                .isInstanceOfSatisfying(CheckpointVerification.Rejected.class, r -> assertThat(r.reason()).contains("invalid signature"));
    }

    @Test
    void checkpointNoteVerifiesAgainstItsVkeyAsGoWouldReadIt() throws Exception {
        Checkpoint checkpoint = new Checkpoint(ORIGIN, 3, ROOT);
        NoteKey key = checkpoint.noteKey(KEY.publicKey());
        SignedNote note = SignedNote.parse(checkpoint.sign(KEY.publicKey(), KEY::sign).encode());
        assertThat(note.verify(List.of(NoteKey.parse(key.vkey())))).isInstanceOf(NoteVerification.Verified.class);
        assertThat(key.vkey()).startsWith(ORIGIN + "+");
    }

    @Test
    void constructorRejectsBadValues() {
        assertThatThrownBy(() -> new Checkpoint("has space", 1, ROOT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a+b", 1, ROOT)).isInstanceOf(IllegalArgumentException.class);
        // Go's unicode.IsSpace counts NEL (U+0085) and no-break spaces as spaces; so do we.
        assertThatThrownBy(() -> new Checkpoint("a\u0085b", 1, ROOT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a\u00a0b", 1, ROOT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(ORIGIN, -1, ROOT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
