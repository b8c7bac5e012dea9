package dev.capsule.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict RFC 7468 PEM for one labelled block: what we write, and what OpenSSL writes for Ed25519 keys. */
final class Pem {
    /** A PEM key file is a few hundred bytes; anything much larger is not one. */
    static final int TEXT_CHARS_MAX = 4096;

    private static final Pattern ANY_BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----");

    private Pem() {}

    static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /**
     * Decodes the single block labelled {@code label}; text around it is not allowed except
     * surrounding whitespace.
     *
     * @throws KeyFormatException with a specific reason when the text is not exactly that
     */
    static byte[] decode(String text, String label) throws KeyFormatException {
        if (text.length() > TEXT_CHARS_MAX) {
            throw new KeyFormatException("not a PEM key: longer than " + TEXT_CHARS_MAX + " characters");
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        String trimmed = text.strip();
        if (!trimmed.startsWith(begin) || !trimmed.endsWith(end) || trimmed.length() < begin.length() + end.length()) {
            // Name only the label found, never the text: it may be a private key given in the wrong place.
            Matcher found = ANY_BEGIN.matcher(trimmed);
            throw new KeyFormatException("expected a PEM block '" + begin + "', found "
                    + (found.lookingAt() ? "'-----BEGIN " + found.group(1) + "-----'" : "no PEM header"));
        }
        String body = trimmed.substring(begin.length(), trimmed.length() - end.length());
        if (body.contains("-----")) {
            throw new KeyFormatException("a PEM key file must hold exactly one block");
        }
        String base64 = body.replaceAll("[\\r\\n\\t ]", "");
        try {
            return Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("PEM body is not valid base64");
        }
    }
}
