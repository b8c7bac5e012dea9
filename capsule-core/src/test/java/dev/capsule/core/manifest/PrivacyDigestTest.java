package dev.capsule.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivacyDigestTest {
    private static final CapsuleManifest.PrivacyDeclaration LOCATION =
            new CapsuleManifest.PrivacyDeclaration("location", List.of("wx.getLocation"), "Show the weather where you are");
    private static final CapsuleManifest.PrivacyDeclaration PROFILE =
            new CapsuleManifest.PrivacyDeclaration("profile", List.of("wx.getUserProfile", "wx.getUserInfo"), "Show your name");

    @Test
    void theDigestIsSha256OfTheDocumentedCanonicalText() throws Exception {
        String text = "{\"declarations\":{\"0\":{\"apis\":{\"0\":\"wx.getLocation\"},\"data\":\"location\",\"purpose\":"
                + "\"Show the weather where you are\"},\"1\":{\"apis\":{\"0\":\"wx.getUserProfile\",\"1\":\"wx.getUserInfo\"},"
                + "\"data\":\"profile\",\"purpose\":\"Show your name\"}},\"format\":\"capsule-privacy/1\"}";
        assertThat(CanonicalJson.text(PrivacyDigest.canonical(List.of(LOCATION, PROFILE)))).isEqualTo(text);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        assertThat(PrivacyDigest.of(List.of(LOCATION, PROFILE)).hex()).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void theSameDeclarationsGiveTheSameDigestAndAChangedPurposeAnother() {
        PrivacyDigest digest = PrivacyDigest.of(List.of(LOCATION));
        assertThat(PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location", List.of("wx.getLocation"),
                "Show the weather where you are")))).isEqualTo(digest);
        assertThat(PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location", List.of("wx.getLocation"),
                "Show ads near you")))).isNotEqualTo(digest);
        assertThat(PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("precise location", List.of("wx.getLocation"),
                "Show the weather where you are")))).as("another data category").isNotEqualTo(digest);
        assertThat(PrivacyDigest.of(List.of(LOCATION, PROFILE))).as("another declaration").isNotEqualTo(digest)
                .isNotEqualTo(PrivacyDigest.of(List.of(PROFILE, LOCATION)));
        assertThat(PrivacyDigest.of(List.of())).as("declaring nothing is a text too").isNotEqualTo(digest);
    }

    @Test
    void theStoredFormRoundTripsAndAnythingElseIsRefused() {
        PrivacyDigest digest = PrivacyDigest.of(List.of(LOCATION));
        assertThat(PrivacyDigest.parse(digest.hex())).isEqualTo(digest);
        assertThat(digest.hex()).matches("[0-9a-f]{64}");
        assertThatThrownBy(() -> PrivacyDigest.parse(digest.hex().toUpperCase())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivacyDigest.parse(digest.hex().substring(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
