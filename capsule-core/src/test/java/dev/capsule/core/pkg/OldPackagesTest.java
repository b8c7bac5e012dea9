package dev.capsule.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.VerifyingKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A package built and signed by the Packer before subpackages and the upload whitelist (issue #13),
 * committed as bytes, still reads and verifies: the format and the signatures did not change, and
 * the new per-package limits admit everything the old whole-archive limits admitted.
 *
 * <p>The fixture was made at commit 30bef3a (before this change) with that commit's
 * {@code Packer.pack(examples/todo)}, then {@code PackageSigner.sign} as developer and as platform
 * with two throwaway keys; only their public halves are kept beside it.
 */
class OldPackagesTest {
    private static final String FIXTURE = "/old-packages/todo-before-issue-13";

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = OldPackagesTest.class.getResourceAsStream(FIXTURE + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void aPackageFromTheOldPackerStillVerifiesWithBothSignatures() throws Exception {
        byte[] archive = resource(".capsule");
        VerifyingKey developer = VerifyingKey.fromPem(new String(resource(".developer.pub.pem"), StandardCharsets.US_ASCII));
        VerifyingKey platform = VerifyingKey.fromPem(new String(resource(".platform.pub.pem"), StandardCharsets.US_ASCII));
        Verification verification = PackageVerifier.verify(archive, TrustPolicy.trustingForEveryAppId(List.of(developer, platform)));
        assertThat(verification).isInstanceOfSatisfying(Verification.Verified.class, v -> {
            assertThat(v.trusted()).extracting(PackageSignature::role).containsExactlyInAnyOrder(Role.DEVELOPER, Role.PLATFORM);
            // The old Packer packed every file; README.md is there, and still covered by the signatures.
            assertThat(v.pkg().paths()).contains("README.md", "pages/index/index.wxml");
            assertThat(v.pkg().app().subpackages()).isEmpty();
            assertThat(v.pkg().app().pages()).containsExactly("pages/index/index", "pages/about/about");
        });
    }

    @Test
    void aByteChangedInTheOldPackageIsStillCaught() throws Exception {
        byte[] archive = resource(".capsule").clone();
        VerifyingKey developer = VerifyingKey.fromPem(new String(resource(".developer.pub.pem"), StandardCharsets.US_ASCII));
        archive[archive.length / 3] ^= 1;
        assertThat(PackageVerifier.verify(archive, TrustPolicy.trustingForEveryAppId(List.of(developer))))
                .isInstanceOf(Verification.Rejected.class);
    }
}
