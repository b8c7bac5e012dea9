package dev.capsule.server.payments.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak scanner itself: it finds a planted card number in every formatting and a planted code, and nothing in clean text. */
class CardDataScanTest {
    private static final String PAN = "4539578763621486";
    private static final String CODE = "0731";
    private final CardDataScan scan = new CardDataScan(List.of(PAN), List.of(CODE));

    @Test
    void findsTheNumberInEveryFormatting() {
        for (String text : List.of("pan=4539578763621486;", "card 4539 5787 6362 1486 saved", "4539-5787-6362-1486",
                "x\t\\x" + HexFormat.of().formatHex(PAN.getBytes(StandardCharsets.US_ASCII)) + "\ty",
                "{\"n\":\"" + Base64.getEncoder().encodeToString(PAN.getBytes(StandardCharsets.US_ASCII)) + "\"}")) {
            assertThat(scan.find("planted", text)).as(text).isNotEmpty();
        }
    }

    @Test
    void findsTheCodeAsAFieldAValueALabelOrAWord() {
        for (String text : List.of("a\t0731\tb", "{\"cvc\":\"0731\"}", "{\"x\":0731}", "CVV: 0731", "verify code=0731 ok",
                "card code 0731 sent")) {
            assertThat(scan.find("planted", text)).as(text).isNotEmpty();
        }
    }

    @Test
    void cleanTextHasNoFinding() {
        String clean = """
                2026-12-07T10:31:07.391Z INFO tok_abcdefghijklmnopqrstuvwxyz card 453957…1486 saved (visa)
                1\t\\x0107310731aa\t453957\t1486\t2029\t12\t3f2a0731-0731-4abc-8def-000000000000
                [B@5f0731ab 45395787636214860 14539578763621486""";
        assertThat(scan.find("clean", clean)).isEmpty();
    }
}
