package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Issue #11: a trusted developer key may sign only the app ids the host bound it to. */
class AppIdBindingTest {
    private static final SigningKey ALICE = SigningKey.generate();
    private static final SigningKey BOB = SigningKey.generate();
    private static final SigningKey PLATFORM = SigningKey.generate();

    private static byte[] packageWithId(String id, SigningKey signer) throws Exception {
        SortedMap<String, byte[]> files = TestPackages.minimalSources();
        files.put("capsule.json", utf8("{\"id\":\"" + id + "\",\"version\":\"1.0.0\",\"name\":\"App\","
                + "\"developer\":{\"id\":\"dev\",\"name\":\"Dev\"}}"));
        return PackageSigner.sign(TestPackages.write(TestPackages.withManifest(files)), signer, Role.DEVELOPER);
    }

    /** Two developers, each bound to its own namespace. */
    private static TrustPolicy twoDevelopers() {
        return TrustPolicy.of(List.of(
                TrustedKey.forRole(ALICE.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.parse("com.alice.*"))),
                TrustedKey.forRole(BOB.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.parse("com.bob.notes")))));
    }

    @Test
    void eachDeveloperVerifiesForItsOwnAppId() throws Exception {
        assertThat(PackageVerifier.verify(packageWithId("com.alice.todo", ALICE), twoDevelopers())).isInstanceOf(Verification.Verified.class);
        assertThat(PackageVerifier.verify(packageWithId("com.bob.notes", BOB), twoDevelopers())).isInstanceOf(Verification.Verified.class);
    }

    @Test
    void aPackageClaimingAnotherDevelopersAppIdIsRejected() throws Exception {
        Verification outcome = PackageVerifier.verify(packageWithId("com.bob.notes", ALICE), twoDevelopers());
        assertThat(outcome).isInstanceOfSatisfying(Verification.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.APP_ID_NOT_ALLOWED);
            assertThat(r.reason().code()).isEqualTo("app-id-not-allowed");
            assertThat(r.message()).contains("com.bob.notes").contains("com.alice.*").doesNotContain("\n");
        });
    }

    @Test
    void aSignatureOutsideItsBindingRejectsEvenBesideAValidOne() throws Exception {
        // Bob's own signature verifies, but Alice's trusted key claiming Bob's id is misuse: reject, never ignore.
        byte[] both = PackageSigner.sign(packageWithId("com.bob.notes", BOB), ALICE, Role.DEVELOPER);
        assertThat(PackageVerifier.verify(both, twoDevelopers()))
                .isInstanceOfSatisfying(Verification.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.APP_ID_NOT_ALLOWED));
    }

    @Test
    void anAnyRoleKeyIsBoundToo() throws Exception {
        TrustPolicy policy = TrustPolicy.of(List.of(TrustedKey.anyRole(ALICE.publicKey(), List.of(AppIdPattern.parse("com.alice.todo")))));
        byte[] asPlatform = PackageSigner.sign(TestPackages.minimal(), ALICE, Role.PLATFORM); // id com.example.min
        assertThat(PackageVerifier.verify(asPlatform, policy))
                .isInstanceOfSatisfying(Verification.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.APP_ID_NOT_ALLOWED));
    }

    @Test
    void thePlatformKeyVouchesForEveryIdByDefault() throws Exception {
        TrustPolicy policy = TrustPolicy.of(List.of(
                TrustedKey.forRole(ALICE.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.parse("com.alice.*"))),
                TrustedKey.platform(PLATFORM.publicKey()))).requiring(Role.PLATFORM);
        byte[] countersigned = PackageSigner.sign(packageWithId("com.alice.todo", ALICE), PLATFORM, Role.PLATFORM);
        assertThat(PackageVerifier.verify(countersigned, policy)).isInstanceOf(Verification.Verified.class);
        // The platform's countersignature does not (yet) widen the developer's binding.
        byte[] foreign = PackageSigner.sign(packageWithId("com.bob.notes", ALICE), PLATFORM, Role.PLATFORM);
        assertThat(PackageVerifier.verify(foreign, policy))
                .isInstanceOfSatisfying(Verification.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.APP_ID_NOT_ALLOWED));
    }

    @ParameterizedTest
    @CsvSource({
        "com.example.todo, com.example.todo, true",
        "com.example.todo, com.example.todo2, false",
        "com.example.todo, com.example, false",
        "com.example.*, com.example.todo, true",
        "com.example.*, com.example.a.b, true",
        "com.example.*, com.example, false",
        "com.example.*, com.examplex.todo, false",
        "com.example.*, org.com.example.todo, false",
        "*, org.anything.at-all, true",
    })
    void matchingIsWholeLabelsAndExact(String pattern, String appId, boolean matches) {
        assertThat(AppIdPattern.parse(pattern).matches(appId)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com.*", "*.example.com", "com.*.todo", "com.ex*", "com.example.**", "com.example.*.*",
        "Com.Example.*", "com..example", "com.example.", ".com.example", "com", "com example.app", "com.example/*", "**"})
    void ambiguousOrMalformedPatternsAreRefused(String pattern) {
        assertThatThrownBy(() -> AppIdPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aKeyNeedsABindingAndStarStandsAlone() {
        assertThatThrownBy(() -> TrustedKey.forRole(ALICE.publicKey(), Role.DEVELOPER, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound to no app id");
        assertThatThrownBy(() -> TrustedKey.forRole(ALICE.publicKey(), Role.DEVELOPER, List.of(AppIdPattern.ANY, AppIdPattern.parse("com.a.b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not combine");
        assertThatThrownBy(() -> AppIdPattern.parse("com.*")).hasMessageContaining("too broad");
        assertThatThrownBy(() -> AppIdPattern.parse("Com.Example.*")).hasMessageContaining("upper-case");
        assertThatThrownBy(() -> AppIdPattern.parse("com.*.todo")).hasMessageContaining("ambiguous");
    }
}
