package dev.capsule.core.auth.totp;

import dev.capsule.core.crypto.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An {@code otpauth://totp/} URI in the Google Authenticator key-uri format, which every authenticator
 * app reads from a QR code:
 * {@code otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}.
 *
 * <p>The label and the parameter values are percent-encoded as UTF-8 with every byte outside RFC 3986's
 * unreserved set ({@code A–Z a–z 0–9 - . _ ~}) escaped (so a space is {@code %20}, never {@code +});
 * the colon between issuer and account is literal. The issuer appears both in the label and as a
 * parameter, as the format recommends. The secret is unpadded base32.
 *
 * <p>Security guarantees: the URI contains the secret, so it is readable only through
 * {@link #text(SecretAccess)} and {@link #qrCodePng(SecretAccess)}, and {@link #toString()} redacts it.
 * Issuer and account name are validated (non-blank, no colon, no control characters, bounded length),
 * so neither can forge another parameter or label part.
 */
public final class OtpAuthUri {
    /** Authenticator apps show the issuer in a narrow row; longer names are a configuration mistake. */
    public static final int ISSUER_CHARS_MAX = 64;
    /** Operator account names (login names or e-mail addresses) fit easily. */
    public static final int ACCOUNT_CHARS_MAX = 128;

    private final String text;

    private OtpAuthUri(String text) {
        this.text = text;
    }

    /** The URI for an operator: {@link TotpParameters#OPERATOR}. */
    public static OtpAuthUri forOperator(String issuer, String accountName, TotpSecret secret) {
        return of(issuer, accountName, secret, TotpParameters.OPERATOR);
    }

    /**
     * The URI for {@code secret} with explicit parameters.
     *
     * @throws IllegalArgumentException if the issuer or account name is blank, too long, or contains a
     *     colon or a control character
     */
    public static OtpAuthUri of(String issuer, String accountName, TotpSecret secret, TotpParameters parameters) {
        checkLabelPart("issuer", issuer, ISSUER_CHARS_MAX);
        checkLabelPart("account name", accountName, ACCOUNT_CHARS_MAX);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(parameters, "parameters");
        String text = "otpauth://totp/" + encode(issuer) + ":" + encode(accountName)
                + "?secret=" + secret.base32(SecretAccess.grant())
                + "&issuer=" + encode(issuer)
                + "&algorithm=" + parameters.algorithm().uriName()
                + "&digits=" + parameters.digits()
                + "&period=" + parameters.periodSeconds();
        return new OtpAuthUri(text);
    }

    /** The URI text, to show as a link or to encode elsewhere. */
    public String text(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        return text;
    }

    /** A QR code of the URI as a PNG image (see {@link QrCodePng}). */
    public byte[] qrCodePng(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        return QrCodePng.encode(text);
    }

    private static void checkLabelPart(String what, String value, int charsMax) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
        if (value.length() > charsMax) {
            throw new IllegalArgumentException("the " + what + " is longer than " + charsMax + " characters");
        }
        // The format forbids a colon in either part: it is the separator between them.
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the " + what + " must not contain a colon");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the " + what + " must not contain control characters");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException("the " + what + " is not valid Unicode text");
        }
    }

    /** RFC 3986 percent-encoding of UTF-8, escaping everything but the unreserved characters. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "OtpAuthUri[redacted]";
    }
}
