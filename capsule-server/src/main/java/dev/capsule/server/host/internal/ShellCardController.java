package dev.capsule.server.host.internal;

import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentCards;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shell's card endpoint, {@code POST /shell/cards}: the only place card details enter the platform. The payment
 * sheet's "Add a card" form posts them here from the cardholder's own browser, over HTTPS, never through the
 * WebSocket (so neither the session, the mini-program nor the wire protocol ever holds them); this endpoint hands them
 * to the vault ({@link PaymentCards#add}) and answers the token with brand and last four, which the sheet then pays
 * with.
 *
 * <p>Security guarantees: the request must come from this server's own pages ({@code Origin}) with the shell session's
 * CSRF token ({@value ShellForms#CSRF_HEADER}); a card is accepted only for a merchant whose payment sheet is open
 * for this user now ({@link PaymentMerchants#openSheet}), so a page cannot tokenize cards for merchants the user is
 * not paying; the body is bounded ({@link #REQUEST_BYTES_MAX}), read as JSON with a closed set of fields, and never
 * logged nor repeated in a refusal (the problem's detail names the field only); without a vault every card is refused
 * ({@code payments-unavailable}).
 */
@RestController
class ShellCardController {
    /** Largest request body accepted (a card's fields are well under 300 bytes). */
    static final int REQUEST_BYTES_MAX = 2048;
    private static final List<String> FIELDS = List.of("merchant", "number", "expiry", "name", "code");
    /** {@code MM/YY} or {@code MM/YYYY}, as printed on cards. */
    private static final Pattern EXPIRY = Pattern.compile("(0[1-9]|1[0-2])\\s?/\\s?([0-9]{2}|[0-9]{4})");

    private final ObjectProvider<PaymentCards> cards;
    private final PaymentMerchants merchants;
    private final Placements placements;

    ShellCardController(ObjectProvider<PaymentCards> cards, PaymentMerchants merchants, Placements placements) {
        this.placements = placements;
        this.cards = cards;
        this.merchants = merchants;
    }

    @PostMapping(path = ShellPaths.CARDS, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> add(HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionRequest(request);
        placements.requireHomeForPayments(session.principal());
        JsonNode body = body(request);
        MerchantId merchant = MerchantId.parse(text(body, "merchant"))
                .orElseThrow(() -> invalid("merchant: a merchant id (mch_…) of the open payment sheet"));
        PayerId payer = PayerRefs.payer(session.principal().user());
        if (merchants.openSheet(payer, merchant).isEmpty()) {
            throw new ProblemException(HostProblems.NO_PAYMENT_SHEET,
                    "cards are added from a payment sheet of this merchant; open the payment again");
        }
        CardDetails details = details(body);
        PaymentCards vault = cards.getIfAvailable();
        if (vault == null) {
            throw new ProblemException(HostProblems.PAYMENTS_UNAVAILABLE, "this server has no card vault");
        }
        CardView added = vault.add(payer, merchant, details);
        ObjectNode answer = Wire.object().put("token", added.token().value()).put("brand", added.brand())
                .put("last4", added.last4()).put("expiry", added.expiry().toString());
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    /** Card details from the body; each refusal names its field and never repeats what was typed. */
    static CardDetails details(JsonNode body) {
        CardNumber number;
        try {
            number = CardNumber.parse(text(body, "number"));
        } catch (IllegalArgumentException e) {
            throw invalid("number: " + e.getMessage()); // CardNumber's messages never repeat the digits
        }
        Matcher expiry = EXPIRY.matcher(text(body, "expiry").strip());
        if (!expiry.matches()) {
            throw invalid("expiry: the month and year as on the card, MM/YY");
        }
        YearMonth month;
        try {
            int year = Integer.parseInt(expiry.group(2));
            month = YearMonth.of(year < 100 ? 2000 + year : year, Integer.parseInt(expiry.group(1)));
        } catch (DateTimeException e) {
            throw invalid("expiry: the month and year as on the card, MM/YY");
        }
        if (month.isBefore(YearMonth.now(java.time.ZoneOffset.UTC))) {
            throw invalid("expiry: the card has expired");
        }
        Optional<CardCode> code;
        try {
            code = body.has("code") ? Optional.of(CardCode.parse(text(body, "code"))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            throw invalid("code: the 3 or 4 digits on the card");
        }
        try {
            return new CardDetails(number, month, text(body, "name").strip(), code);
        } catch (IllegalArgumentException e) {
            throw invalid("name: the name on the card, 1 to " + CardDetails.HOLDER_CHARS_MAX + " printable characters");
        }
    }

    private static JsonNode body(HttpServletRequest request) {
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(REQUEST_BYTES_MAX + 1);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body could not be read");
        }
        if (bytes.length > REQUEST_BYTES_MAX) {
            throw invalid("the request is larger than " + REQUEST_BYTES_MAX + " bytes");
        }
        JsonNode body;
        try {
            body = Wire.JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid("the request is one JSON object of card fields");
        }
        if (body == null || !body.isObject()) {
            throw invalid("the request is one JSON object of card fields");
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field; the fields are " + String.join(", ", FIELDS));
            }
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString()) {
            throw invalid(field + ": a string is required");
        }
        return value.stringValue();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(HostProblems.CARD_INVALID, detail);
    }
}
