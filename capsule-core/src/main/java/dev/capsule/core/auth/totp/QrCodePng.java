package dev.capsule.core.auth.totp;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Renders text as a black-on-white QR code PNG. The QR encoding is ZXing's ({@code com.google.zxing:core});
 * this class only scales the module matrix into pixels and writes the PNG with the JDK's ImageIO.
 *
 * <p>Error correction level M (15 %), the usual choice for a code shown on a screen; a quiet zone of
 * {@value #QUIET_ZONE_MODULES} modules (ISO/IEC 18004 requires 4); {@value #PIXELS_PER_MODULE} pixels
 * per module, so a typical otpauth URI (version 6–7) is about 300–400 pixels square. No character-set
 * hint is given: the percent-encoded URI is ASCII, and omitting the ECI header keeps old readers happy.
 */
final class QrCodePng {
    static final int QUIET_ZONE_MODULES = 4;
    static final int PIXELS_PER_MODULE = 8;
    /** Far above any valid otpauth URI, far below the QR capacity (2,953 bytes at level L). */
    static final int TEXT_CHARS_MAX = 1024;

    private QrCodePng() {}

    static byte[] encode(String text) {
        if (text.length() > TEXT_CHARS_MAX) {
            throw new IllegalArgumentException("QR code text is longer than " + TEXT_CHARS_MAX + " characters");
        }
        BitMatrix modules;
        try {
            // Size 0 asks for the natural size: one matrix cell per module, quiet zone included.
            modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.MARGIN, QUIET_ZONE_MODULES));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text cannot be encoded as a QR code: " + e.getMessage(), e);
        }
        int side = modules.getWidth() * PIXELS_PER_MODULE;
        BufferedImage image = new BufferedImage(side, modules.getHeight() * PIXELS_PER_MODULE, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < side; x++) {
                boolean dark = modules.get(x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE);
                image.setRGB(x, y, dark ? 0xff000000 : 0xffffffff);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("this JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return png.toByteArray();
    }
}
