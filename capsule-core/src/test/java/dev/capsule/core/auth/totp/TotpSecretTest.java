package dev.capsule.core.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SecretAccess;
import org.junit.jupiter.api.Test;

class TotpSecretTest {

    @Test
    void generatedSecretsAreTwentyRandomBytes() {
        byte[] a = TotpSecret.generate().bytes(SecretAccess.grant());
        byte[] b = TotpSecret.generate().bytes(SecretAccess.grant());
        assertThat(a).hasSize(20);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void toStringRedactsTheSecret() {
        TotpSecret secret = TotpSecret.generate();
        assertThat(secret.toString()).isEqualTo("TotpSecret[redacted]")
                .doesNotContain(secret.base32(SecretAccess.grant()));
    }

    @Test
    void base32RoundTripsUnpadded() {
        TotpSecret secret = TotpSecret.generate();
        String text = secret.base32(SecretAccess.grant());
        assertThat(text).hasSize(32).matches("[A-Z2-7]+");
        assertThat(TotpSecret.fromBase32(text).bytes(SecretAccess.grant())).isEqualTo(secret.bytes(SecretAccess.grant()));
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] raw = new byte[20];
        TotpSecret secret = TotpSecret.fromBytes(raw);
        raw[0] = 1;
        secret.bytes(SecretAccess.grant())[1] = 1;
        assertThat(secret.bytes(SecretAccess.grant())).containsOnly(0);
    }

    @Test
    void secretsShorterThan128BitsOrLongerThan512AreRefused() {
        assertThatThrownBy(() -> TotpSecret.fromBytes(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 to 64 bytes");
        assertThatThrownBy(() -> TotpSecret.fromBytes(new byte[65])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpSecret.fromBase32("A".repeat(10_000))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TotpSecret.fromBytes(new byte[16])).isNotNull();
        assertThat(TotpSecret.fromBytes(new byte[64])).isNotNull();
    }

    @Test
    void invalidBase32IsRefused() {
        assertThatThrownBy(() -> TotpSecret.fromBase32("gezdgnbvgy3tqojqgezdgnbvgy3tqojq"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid character");
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, 5, 30, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, 9, 30, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, 6, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, 6, 3601, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpParameters(TotpAlgorithm.SHA1, 6, 30, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpParameters(null, 6, 30, 0)).isInstanceOf(NullPointerException.class);
    }
}
