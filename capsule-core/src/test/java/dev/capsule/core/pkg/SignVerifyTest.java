package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.dsse.DsseEnvelope;
import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pack, sign, verify round trip, and every kind of tampering it must catch. */
class SignVerifyTest {
    private static final SigningKey DEVELOPER = SigningKey.generate();
    private static final SigningKey PLATFORM = SigningKey.generate();
    private static final SigningKey STRANGER = SigningKey.generate();
    private static byte[] unsigned;
    private static byte[] signed;

    @BeforeAll
    static void packAndSign() throws Exception {
        unsigned = Packer.pack(RepoPaths.example("todo"));
        signed = PackageSigner.sign(unsigned, DEVELOPER, Role.DEVELOPER);
    }

    private static TrustPolicy trusting(SigningKey... keys) {
        return TrustPolicy.trustingForEveryAppId(Arrays.stream(keys).map(SigningKey::publicKey).toList());
    }

    private static Reason rejection(byte[] archive, TrustPolicy policy) {
        return switch (PackageVerifier.verify(archive, policy)) {
            case Verification.Verified v -> throw new AssertionError("tampered package was accepted");
            case Verification.Rejected r -> {
                assertThat(r.message()).isNotBlank().doesNotContain("\n");
                yield r.reason();
            }
        };
    }

    private static Verification.Verified verified(byte[] archive, TrustPolicy policy) {
        return switch (PackageVerifier.verify(archive, policy)) {
            case Verification.Verified v -> v;
            case Verification.Rejected r -> throw new AssertionError("rejected: " + r);
        };
    }

    @Test
    void roundTripVerifiesAndKeepsEveryFile() throws Exception {
        Verification.Verified v = verified(signed, trusting(DEVELOPER));
        assertThat(v.trusted()).singleElement().satisfies(s -> {
            assertThat(s.role()).isEqualTo(Role.DEVELOPER);
            assertThat(s.keyId()).isEqualTo(DEVELOPER.keyId());
        });
        Path dir = RepoPaths.example("todo");
        for (String path : v.pkg().paths()) {
            assertThat(v.pkg().file(path)).as(path).isEqualTo(java.nio.file.Files.readAllBytes(dir.resolve(path)));
        }
        assertThat(v.pkg().manifest().id()).isEqualTo("com.example.todo");
    }

    @Test
    void bothExamplesRoundTrip() throws Exception {
        for (String example : List.of("todo", "weather")) {
            byte[] pkg = PackageSigner.sign(Packer.pack(RepoPaths.example(example)), DEVELOPER, Role.DEVELOPER);
            assertThat(PackageVerifier.verify(pkg, trusting(DEVELOPER))).as(example).isInstanceOf(Verification.Verified.class);
        }
    }

    @Test
    void signatureIsDsseOverInTotoStatementNamingManifestAndRole() throws Exception {
        PackageSignature s = PackageReader.read(signed).signatures().getFirst();
        assertThat(s.path()).isEqualTo("_capsule/signatures/developer-" + DEVELOPER.keyId().hex() + ".json");
        DsseEnvelope env = s.envelope();
        assertThat(env.payloadType()).isEqualTo("application/vnd.in-toto+json");
        String statement = new String(env.payload(), StandardCharsets.UTF_8);
        assertThat(statement).contains("\"_type\":\"https://in-toto.io/Statement/v1\"")
                .contains("\"name\":\"_capsule/manifest.sha256\"")
                .contains("\"sha256\":\"" + PackageReader.read(signed).digestManifestSha256().hex() + "\"")
                .contains("\"role\":\"developer\"");
        assertThat(DEVELOPER.publicKey().verify(DsseEnvelope.pae(env.payloadType(), env.payload()), s.signatureBytes())).isTrue();
    }

    @Test
    void unsignedPackageIsRejected() {
        assertThat(rejection(unsigned, trusting(DEVELOPER))).isEqualTo(Reason.UNSIGNED);
    }

    @Test
    void wrongKeyIsRejected() {
        assertThat(rejection(signed, trusting(STRANGER))).isEqualTo(Reason.UNTRUSTED);
    }

    /** The host's usual policy: the developer's key for developer signatures, the platform's for platform ones. */
    private static TrustPolicy roleBound() {
        return TrustPolicy.of(List.of(TrustedKey.forRole(DEVELOPER.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.ANY)), TrustedKey.platform(PLATFORM.publicKey())));
    }

    @Test
    void missingRequiredRoleIsRejected() {
        assertThat(rejection(signed, roleBound().requiring(Role.PLATFORM))).isEqualTo(Reason.ROLE_MISSING);
    }

    @Test
    void platformCountersignatureSatisfiesRequiredRole() throws Exception {
        byte[] countersigned = PackageSigner.sign(signed, PLATFORM, Role.PLATFORM);
        Verification.Verified v = verified(countersigned, roleBound().requiring(Role.PLATFORM));
        assertThat(v.trusted()).extracting(PackageSignature::role).containsExactlyInAnyOrder(Role.DEVELOPER, Role.PLATFORM);
    }

    @Test
    void developerKeySigningAsPlatformIsRejected() throws Exception {
        // The signer writes its own role; only the host's binding of keys to roles makes it mean anything.
        byte[] selfPromoted = PackageSigner.sign(signed, DEVELOPER, Role.PLATFORM);
        assertThat(rejection(selfPromoted, roleBound().requiring(Role.PLATFORM))).isEqualTo(Reason.ROLE_NOT_TRUSTED);
        assertThat(rejection(selfPromoted, roleBound())).isEqualTo(Reason.ROLE_NOT_TRUSTED);
    }

    @Test
    void requiredRoleNeedsAKeyBoundToIt() {
        // Keys trusted for "any role" cannot satisfy a required role: the policy refuses to be built.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trusting(DEVELOPER, PLATFORM).requiring(Role.PLATFORM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a key trusted for that role");
    }

    @Test
    void untrustedExtraSignatureIsReportedNotRelied() throws Exception {
        byte[] both = PackageSigner.sign(signed, STRANGER, Role.PLATFORM);
        Verification.Verified v = verified(both, roleBound());
        assertThat(v.untrusted()).singleElement().extracting(PackageSignature::keyId).isEqualTo(STRANGER.keyId());
        assertThat(rejection(both, roleBound().requiring(Role.PLATFORM))).isEqualTo(Reason.ROLE_MISSING);
    }

    @Test
    void signingIsDeterministicAndIdempotentPerKeyAndRole() throws Exception {
        assertThat(PackageSigner.sign(unsigned, DEVELOPER, Role.DEVELOPER)).isEqualTo(signed);
        assertThat(PackageSigner.sign(signed, DEVELOPER, Role.DEVELOPER)).isEqualTo(signed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.js", "app.json", "capsule.json", "pages/index/index.js", "utils/todos.js", "pages/index/index.wxml"})
    void flippedByteInAnyFileIsRejected(String path) throws Exception {
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.get(path)[0] ^= 1);
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.DIGEST_MISMATCH);
    }

    @Test
    void addedFileIsRejected() throws Exception {
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.put("utils/backdoor.js", utf8("module.exports = 1")));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.UNCOVERED_FILE);
    }

    @Test
    void removedFileIsRejected() throws Exception {
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.remove("utils/todos.js"));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.MISSING_FILE);
    }

    @Test
    void renamedFileIsRejected() throws Exception {
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.put("utils/todo.js", entries.remove("utils/todos.js")));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isIn(Reason.UNCOVERED_FILE, Reason.MISSING_FILE);
    }

    @Test
    void rewrittenManifestAndFileIsRejected() throws Exception {
        // The attacker updates the digest manifest to match the changed file; the signature no longer matches.
        byte[] tampered = TestPackages.rewrite(signed, entries -> {
            entries.put("app.js", utf8("App({onLaunch(){ /* evil */ }})"));
            var files = new java.util.TreeMap<String, byte[]>(PackagePaths.ORDER);
            entries.forEach((k, v) -> {
                if (!k.startsWith(PackagePaths.METADATA_PREFIX)) {
                    files.put(k, v);
                }
            });
            entries.put(DigestManifest.PATH, DigestManifest.of(files).encode());
        });
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void signatureSwappedFromAnotherPackageIsRejected() throws Exception {
        byte[] other = PackageSigner.sign(Packer.pack(RepoPaths.example("weather")), DEVELOPER, Role.DEVELOPER);
        String sigPath = PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId());
        byte[] otherSig = TestPackagesAccess.entry(other, sigPath);
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.put(sigPath, otherSig));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void truncatedSignatureIsRejected() throws Exception {
        String sigPath = PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId());
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.put(sigPath, resign(entries.get(sigPath), sig -> Arrays.copyOf(sig, 63))));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void flippedSignatureBitIsRejected() throws Exception {
        String sigPath = PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId());
        byte[] tampered = TestPackages.rewrite(signed, entries -> entries.put(sigPath, resign(entries.get(sigPath), sig -> {
            sig[10] ^= 0x01;
            return sig;
        })));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void roleRelabelledInStatementIsRejected() throws Exception {
        // Turning the developer's signature into a "platform" one changes the signed bytes.
        String sigPath = PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId());
        byte[] tampered = TestPackages.rewrite(signed, entries -> {
            DsseEnvelope env = TestPackagesAccess.envelope(entries.remove(sigPath));
            byte[] payload = new String(env.payload(), StandardCharsets.UTF_8).replace("\"developer\"", "\"platform\"").getBytes(StandardCharsets.UTF_8);
            entries.put(PackageSignature.pathFor(Role.PLATFORM, DEVELOPER.keyId()),
                    new DsseEnvelope(env.payloadType(), payload, env.signatures()).toJson());
        });
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureFileRenamedToOtherRoleIsRejected() throws Exception {
        String sigPath = PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId());
        byte[] tampered = TestPackages.rewrite(signed, entries ->
                entries.put(PackageSignature.pathFor(Role.PLATFORM, DEVELOPER.keyId()), entries.remove(sigPath)));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.MALFORMED_METADATA);
    }

    @Test
    void keyIdClaimingTrustedKeyWithForeignSignatureIsRejected() throws Exception {
        // A stranger's signature labelled with the developer's key id: looked up, checked, and refused.
        byte[] strangerSigned = PackageSigner.sign(unsigned, STRANGER, Role.DEVELOPER);
        String strangerPath = PackageSignature.pathFor(Role.DEVELOPER, STRANGER.keyId());
        DsseEnvelope env = TestPackagesAccess.envelope(TestPackagesAccess.entry(strangerSigned, strangerPath));
        byte[] relabelled = new DsseEnvelope(env.payloadType(), env.payload(),
                List.of(new DsseEnvelope.Signature(DEVELOPER.keyId().hex(), env.signatures().getFirst().sig()))).toJson();
        byte[] tampered = TestPackages.rewrite(unsigned, entries -> entries.put(PackageSignature.pathFor(Role.DEVELOPER, DEVELOPER.keyId()), relabelled));
        assertThat(rejection(tampered, trusting(DEVELOPER))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void readerNeverReturnsFilesOutsideTheManifest() throws Exception {
        CapsulePackage pkg = PackageReader.read(signed);
        assertThat(pkg.paths()).containsExactlyElementsOf(pkg.digestManifest().digests().keySet());
        assertThat(pkg.paths()).noneMatch(p -> p.startsWith(PackagePaths.METADATA_PREFIX));
    }

    private static byte[] resign(byte[] envelopeJson, java.util.function.UnaryOperator<byte[]> changeSig) {
        DsseEnvelope env = TestPackagesAccess.envelope(envelopeJson);
        DsseEnvelope.Signature s = env.signatures().getFirst();
        return new DsseEnvelope(env.payloadType(), env.payload(), List.of(new DsseEnvelope.Signature(s.keyid(), changeSig.apply(s.sig())))).toJson();
    }

    /** Small helpers that read raw entries of a canonical archive. */
    static final class TestPackagesAccess {
        static byte[] entry(byte[] archive, String path) throws PackageException {
            Map<String, byte[]> all = new java.util.HashMap<>();
            for (StrictZipReader.Entry e : StrictZipReader.read(archive, PackageLimits.DEFAULTS)) {
                all.put(e.name(), e.data());
            }
            return all.get(path);
        }

        static DsseEnvelope envelope(byte[] json) {
            try {
                return DsseEnvelope.parse(json, "test");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
