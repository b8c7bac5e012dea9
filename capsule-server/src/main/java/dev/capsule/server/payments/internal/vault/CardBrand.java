package dev.capsule.server.payments.internal.vault;

import java.util.Locale;

/**
 * A card's brand as its issuer identification number (the BIN, first six digits) tells it, by the networks' published
 * ranges; shown beside BIN and last four. Only the prefix decides, so the brand reveals nothing the BIN does not.
 */
enum CardBrand {
    VISA, MASTERCARD, UNIONPAY, AMEX, JCB, DISCOVER, UNKNOWN;

    /** The lower-case code stored and shown ({@code visa}, … {@code unknown}). */
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The brand of a six-digit BIN. */
    static CardBrand of(String bin) {
        if (bin == null || !bin.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("a BIN is six digits");
        }
        int two = Integer.parseInt(bin.substring(0, 2));
        int three = Integer.parseInt(bin.substring(0, 3));
        int four = Integer.parseInt(bin.substring(0, 4));
        if (bin.charAt(0) == '4') {
            return VISA;
        }
        if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
            return MASTERCARD;
        }
        if (two == 34 || two == 37) {
            return AMEX;
        }
        if (four >= 3528 && four <= 3589) {
            return JCB;
        }
        if (two == 62) {
            return UNIONPAY;
        }
        if (four == 6011 || (three >= 644 && three <= 649) || two == 65) {
            return DISCOVER;
        }
        return UNKNOWN;
    }
}
