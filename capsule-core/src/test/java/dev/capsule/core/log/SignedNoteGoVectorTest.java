package dev.capsule.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SignedNote} and {@link NoteKey} against the external vectors of Go's golang.org/x/mod/sumdb/note package,
 * copied from its tests: golang/mod, file sumdb/note/note_test.go (commit 02c991387e35f9e4c0a9b7ce137717055f8d716d;
 * TestNewVerifier, TestSign, TestOpen): the PeterNeumann and EnochRoot keys and the signed "If you think
 * cryptography is the answer to your problem" note.
 */
class SignedNoteGoVectorTest {
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    /** Go's private key text: PRIVATE+KEY+PeterNeumann+c74f20a3+base64(0x01 || 32-byte Ed25519 seed). */
    private static final String PETER_SKEY_TAIL = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    @Test
    void goVerifierKeyParsesWithItsKeyHashAndRoundTrips() throws Exception {
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        assertThat(peter.name()).isEqualTo("PeterNeumann");
        assertThat(peter.keyHash()).isEqualTo(0xc74f20a3);
        assertThat(peter.vkey()).isEqualTo(PETER_VKEY);
        assertThat(NoteKey.parse(ENOCH_VKEY).keyHash()).isEqualTo(0xaf0cfe78);
    }

    @Test
    void everyManglingOfTheGoVerifierKeyIsRejected() {
        byte[] b = PETER_VKEY.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    String mangled = new String(b, i, j - i, StandardCharsets.US_ASCII);
                    assertThatThrownBy(() -> NoteKey.parse(mangled)).as(mangled).isInstanceOf(LogFormatException.class);
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            byte[] changed = b.clone();
            changed[i]++;
            String mangled = new String(changed, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> NoteKey.parse(mangled)).as(mangled).isInstanceOf(LogFormatException.class);
        }
        // Wrong key length and unknown algorithm, each with a key hash adjusted to match (from Go's test).
        assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(LogFormatException.class);
        assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(LogFormatException.class);
    }

    @Test
    void signingWithGosKeyGivesGosNoteByteForByte() throws Exception {
        SigningKey key = peterSigningKey();
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        assertThat(key.publicKey()).isEqualTo(peter.key());
        SignedNote note = SignedNote.sign(TEXT, "PeterNeumann", key.publicKey(), key::sign);
        assertThat(note.encodedText()).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void goSignedNoteVerifiesWithOneOrBothKeys() throws Exception {
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        NoteKey enoch = NoteKey.parse(ENOCH_VKEY);
        SignedNote note = SignedNote.parse((TEXT + "\n" + PETER_SIG + ENOCH_SIG).getBytes(StandardCharsets.UTF_8));
        assertThat(note.text()).isEqualTo(TEXT);
        assertThat(note.signatures()).hasSize(2);

        assertThat(note.verify(List.of(peter))).isInstanceOfSatisfying(NoteVerification.Verified.class,
                v -> assertThat(v.signers()).containsExactly(peter));
        assertThat(note.verify(List.of(peter, enoch))).isInstanceOfSatisfying(NoteVerification.Verified.class,
                v -> assertThat(v.signers()).containsExactly(peter, enoch));
        assertThat(note.verify(List.of())).isInstanceOf(NoteVerification.NoTrustedSignature.class);
    }

    @Test
    void corruptedSignatureByATrustedKeyRejectsTheNote() throws Exception {
        String corrupted = TEXT + "\n" + PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        SignedNote note = SignedNote.parse(corrupted.getBytes(StandardCharsets.UTF_8));
        assertThat(note.verify(List.of(NoteKey.parse(PETER_VKEY)))).isInstanceOf(NoteVerification.BadSignature.class);
    }

    @Test
    void changedTextFailsVerification() throws Exception {
        String changed = TEXT.replace("problem", "Problem") + "\n" + PETER_SIG;
        assertThat(SignedNote.parse(changed.getBytes(StandardCharsets.UTF_8)).verify(List.of(NoteKey.parse(PETER_VKEY))))
                .isInstanceOf(NoteVerification.BadSignature.class);
    }

    @Test
    void goMalformedNotesAreRejected() {
        List<String> bad = List.of(
                TEXT,
                TEXT + "\n",
                TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                TEXT + "\n" + PETER_SIG.repeat(SignedNote.SIGNATURES_MAX + 1),
                TEXT + "\n" + PETER_SIG.replace("AM=", "AM"));
        for (String note : bad) {
            assertThatThrownBy(() -> SignedNote.parse(note.getBytes(StandardCharsets.UTF_8))).as(note)
                    .isInstanceOf(LogFormatException.class);
        }
        byte[] invalidUtf8 = ("\u00ff" + TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SignedNote.parse(invalidUtf8)).isInstanceOf(LogFormatException.class).hasMessageContaining("UTF-8");
        byte[] huge = (TEXT.repeat(SignedNote.NOTE_BYTES_MAX / TEXT.length() + 1) + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SignedNote.parse(huge)).isInstanceOf(LogFormatException.class).hasMessageContaining("larger");
    }

    @Test
    void signerForAnotherKeyIsRefused() throws Exception {
        SigningKey other = SigningKey.generate();
        assertThatThrownBy(() -> SignedNote.sign(TEXT, "PeterNeumann", NoteKey.parse(PETER_VKEY).key(), other::sign))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Go's private key text holds the raw seed; wrap it as the PKCS#8 PEM Capsule reads. */
    private static SigningKey peterSigningKey() throws Exception {
        byte[] typed = Base64.getDecoder().decode(PETER_SKEY_TAIL);
        assertThat(typed[0]).isEqualTo((byte) 1);
        byte[] seed = Arrays.copyOfRange(typed, 1, typed.length);
        byte[] der = concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), seed);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
        return SigningKey.fromPem(pem);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
