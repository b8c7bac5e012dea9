package dev.capsule.core.auth.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.capsule.core.crypto.SecretAccess;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key-uri format, its percent-encoding, and the QR code that carries it. */
class OtpAuthUriTest {
    private static final TotpSecret SECRET = TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    @Test
    void operatorUriHasTheKeyUriFormatExactly() {
        OtpAuthUri uri = OtpAuthUri.forOperator("Capsule", "alice", SECRET);
        assertThat(uri.text(SecretAccess.grant())).isEqualTo(
                "otpauth://totp/Capsule:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Capsule"
                        + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void labelAndIssuerArePercentEncodedAsUtf8() {
        OtpAuthUri uri = OtpAuthUri.forOperator("Bank of Zürich & Co", "alice+ops@bank.example", SECRET);
        assertThat(uri.text(SecretAccess.grant())).isEqualTo(
                "otpauth://totp/Bank%20of%20Z%C3%BCrich%20%26%20Co:alice%2Bops%40bank.example"
                        + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bank%20of%20Z%C3%BCrich%20%26%20Co"
                        + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void reservedCharactersCannotForgeParameters() {
        String text = OtpAuthUri.forOperator("Evil?secret=AAAA&x=#/", "a/b?c=d&e", SECRET).text(SecretAccess.grant());
        assertThat(text).startsWith("otpauth://totp/Evil%3Fsecret%3DAAAA%26x%3D%23%2F:a%2Fb%3Fc%3Dd%26e?secret=JBSW");
        assertThat(text.chars().filter(c -> c == '?').count()).isEqualTo(1);
        assertThat(text.chars().filter(c -> c == '&').count()).isEqualTo(4);
    }

    @Test
    void otherParametersAppearAsGiven() {
        OtpAuthUri uri = OtpAuthUri.of("Capsule", "alice", SECRET, new TotpParameters(TotpAlgorithm.SHA256, 8, 60, 0));
        assertThat(uri.text(SecretAccess.grant())).endsWith("&algorithm=SHA256&digits=8&period=60");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Cap:sule", "Cap\nsule", "Cap\u0000sule"})
    void badIssuersAreRefused(String issuer) {
        assertThatThrownBy(() -> OtpAuthUri.forOperator(issuer, "alice", SECRET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuer");
    }

    @Test
    void badAccountNamesAreRefused() {
        assertThatThrownBy(() -> OtpAuthUri.forOperator("Capsule", "ali:ce", SECRET)).hasMessageContaining("colon");
        assertThatThrownBy(() -> OtpAuthUri.forOperator("Capsule", "a".repeat(129), SECRET)).hasMessageContaining("longer than 128");
        assertThatThrownBy(() -> OtpAuthUri.forOperator("Capsule", "bad\uD800", SECRET)).hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> OtpAuthUri.forOperator("Capsule", null, SECRET)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringRedactsTheSecret() {
        assertThat(OtpAuthUri.forOperator("Capsule", "alice", SECRET).toString()).isEqualTo("OtpAuthUri[redacted]");
    }

    @Test
    void qrCodePngDecodesBackToTheExactUri() throws Exception {
        OtpAuthUri uri = OtpAuthUri.forOperator("Bank of Zürich", "alice@bank.example", TotpSecret.generate());
        byte[] png = uri.qrCodePng(SecretAccess.grant());

        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(image.getHeight()).isBetween(200, 600);
        assertThat(decodeQr(image)).isEqualTo(uri.text(SecretAccess.grant()));
    }

    @Test
    void qrCodePngIsDeterministic() {
        OtpAuthUri uri = OtpAuthUri.forOperator("Capsule", "alice", SECRET);
        assertThat(uri.qrCodePng(SecretAccess.grant())).isEqualTo(uri.qrCodePng(SecretAccess.grant()));
    }

    private static String decodeQr(BufferedImage image) throws Exception {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE));
        return result.getText();
    }
}
