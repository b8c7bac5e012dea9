package dev.capsule.server.host.internal;

import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOpException;
import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.payments.PaymentSheets;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire protocol's frames (docs/host.md, "Wire protocol"): every server frame is built here from parsed values
 * with Jackson, never by string concatenation; every browser frame is parsed here into a checked {@link Inbound}
 * or refused with a {@link WireException} naming what is wrong (without echoing the browser's text).
 *
 * <p>Security guarantees: text that a guest, the browser or the platform influenced reaches a frame only as a JSON
 * string value Jackson escapes; a browser frame has a closed set of types and fields, each of one JSON type.
 */
final class Wire {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The host's own button labels on a modal (the runtime's {@code showModal} gives none the host would show). */
    static final String CONFIRM_TEXT = "OK";
    static final String CANCEL_TEXT = "Cancel";

    private Wire() {}

    /** What a browser may send. */
    sealed interface Inbound {
        /** A user interaction with a node of the current page. */
        record Event(ViewEvent event) implements Inbound {}

        /** The answer to prompt {@code id}: the frame's own fields, which the prompt's kind checks. */
        record Answer(int id, ObjectNode fields) implements Inbound {}

        /** The host navigation bar's back arrow. */
        record Back() implements Inbound {}

        /** The host tab bar's item {@code index}. */
        record Tab(int index) implements Inbound {}
    }

    /** A browser frame the host refuses: the message is the host's own sentence. */
    static final class WireException extends Exception {
        WireException(String message) {
            super(message, null, false, false);
        }
    }

    static Inbound parse(String text) throws WireException {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new WireException("a frame is one JSON object");
        }
        if (frame == null || !frame.isObject()) {
            throw new WireException("a frame is one JSON object");
        }
        JsonNode type = frame.get("t");
        if (type == null || !type.isString()) {
            throw new WireException("a frame names its type in \"t\"");
        }
        return switch (type.stringValue()) {
            case "event" -> {
                fields(frame, "t", "node", "type", "detail");
                int node = integer(frame, "node");
                JsonNode eventType = frame.get("type");
                JsonNode detail = frame.has("detail") ? frame.get("detail") : JSON.createObjectNode();
                if (eventType == null || !eventType.isString() || !detail.isObject()) {
                    throw new WireException("an event has a string \"type\" and an object \"detail\"");
                }
                try {
                    yield new Inbound.Event(new ViewEvent(new ViewNodeId(node), eventType.stringValue(), detail));
                } catch (ViewOpException | IllegalArgumentException e) {
                    throw new WireException("an event names a node id and an event type of letters, digits, _ and -");
                }
            }
            case "answer" -> {
                fields(frame, "t", "id", "confirm", "index", "allow", "payment", "challenge");
                ObjectNode fields = ((ObjectNode) frame).deepCopy();
                fields.remove("t");
                fields.remove("id");
                if (fields.size() != 1) {
                    throw new WireException("an answer has \"id\" and exactly one of \"confirm\", \"index\", \"allow\", \"payment\", \"challenge\"");
                }
                yield new Inbound.Answer(integer(frame, "id"), fields);
            }
            case "back" -> {
                fields(frame, "t");
                yield new Inbound.Back();
            }
            case "tab" -> {
                fields(frame, "t", "index");
                yield new Inbound.Tab(integer(frame, "index"));
            }
            default -> throw new WireException("unknown frame type");
        };
    }

    private static void fields(JsonNode frame, String... allowed) throws WireException {
        List<String> names = List.of(allowed);
        for (String name : frame.propertyNames()) {
            if (!names.contains(name)) {
                throw new WireException("unknown field in a \"" + frame.get("t").stringValue() + "\" frame");
            }
        }
    }

    private static int integer(JsonNode frame, String field) throws WireException {
        JsonNode value = frame.get(field);
        if (value == null || !value.isInt()) {
            throw new WireException("\"" + field + "\" must be an integer");
        }
        return value.intValue();
    }

    // ---- server frames ----

    static String open(HostedSessionId session, CatalogueEntry entry, boolean dev, boolean demo) {
        ObjectNode frame = frame("open").put("session", session.value());
        frame.putObject("app")
                .put("id", entry.app().value())
                .put("name", entry.name())
                .put("version", entry.version())
                .put("developer", entry.developer())
                .put("verified", entry.developerVerified());
        return write(frame.put("dev", dev).put("demo", demo));
    }

    /** A {@code page} or {@code ops} frame as the runtime's browser view projects it (already a JSON object). */
    static String view(JsonNode projected) {
        return write(projected);
    }

    static String ui(String kind, JsonNode args) {
        ObjectNode frame = frame("ui").put("kind", kind);
        frame.set("args", args.isObject() ? args : JSON.createObjectNode());
        return write(frame);
    }

    static String modal(int id, String title, String content, boolean showCancel) {
        return write(prompt(id, "modal").put("title", title).put("content", content).put("showCancel", showCancel)
                .put("confirmText", CONFIRM_TEXT).put("cancelText", CANCEL_TEXT));
    }

    static String actionSheet(int id, List<String> items) {
        ObjectNode frame = prompt(id, "actionSheet");
        items.forEach(frame.putArray("items")::add);
        return write(frame);
    }

    static String consent(int id, String scope, String purpose) {
        return write(prompt(id, "consent").put("scope", scope).put("purpose", purpose));
    }

    /**
     * The payment sheet: what the platform prepared (never the mini-program's text: the merchant's verified name, the
     * intent's description, the amount in minor units with its currency and its decimal form, the payer's cards as brand
     * and last four, the wallet balance in the order's currency, the step-up challenge when risk asks for one).
     */
    static String payment(int id, PaymentSheets.Order order) {
        ObjectNode frame = prompt(id, "payment");
        frame.putObject("merchant").put("id", order.merchant().value()).put("name", order.merchantName());
        frame.put("intent", order.intent().value()).put("description", order.description());
        frame.set("amount", money(order.amountMinor(), order.currency()));
        ArrayNode cards = frame.putArray("cards");
        order.cards().forEach(card -> cards.addObject().put("token", card.token().value()).put("brand", card.brand())
                .put("last4", card.last4()).put("expiry", card.expiry().toString()));
        frame.set("wallet", order.walletBalanceMinor().<JsonNode>map(balance -> money(balance, order.currency()))
                .orElse(JSON.nullNode()));
        frame.set("stepUp", order.stepUp().orElse(JSON.nullNode()));
        return write(frame.put("expiresAt", order.expiresAt().toString()));
    }

    /** The card issuer's challenge (3DS-style) for the payment of {@code order}, as {@code PaymentSheets} gave it. */
    static String paymentChallenge(int id, PaymentSheets.Order order, JsonNode challenge) {
        ObjectNode frame = prompt(id, "paymentChallenge");
        frame.putObject("merchant").put("id", order.merchant().value()).put("name", order.merchantName());
        frame.set("amount", money(order.amountMinor(), order.currency()));
        frame.set("challenge", challenge.isObject() ? challenge : JSON.createObjectNode());
        return write(frame);
    }

    /**
     * {@code {"minor": 1234, "currency": "EUR", "decimal": "12.34"}}: the decimal form uses the currency's ISO 4217
     * minor unit digits, so the shell formats it exactly (never through a binary float).
     */
    static ObjectNode money(long minor, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return JSON.createObjectNode().put("minor", minor).put("currency", currency)
                .put("decimal", BigDecimal.valueOf(minor, digits).toPlainString());
    }

    /** What became of a payment, for the shell to say so: {@code paid}, or a refusal code of {@code PaymentSheets}. */
    static String paymentResult(String outcome) {
        return write(frame("paymentResult").put("outcome", outcome));
    }

    static String dev(String kind, ObjectNode entry) {
        ObjectNode frame = frame("dev").put("kind", kind);
        frame.set("entry", entry);
        return write(frame);
    }

    static String reload(String reason) {
        return write(frame("reload").put("reason", reason));
    }

    static String ended(String reason) {
        return write(frame("ended").put("reason", reason));
    }

    static String refused(String message) {
        return write(frame("refused").put("message", message));
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static ObjectNode prompt(int id, String kind) {
        return frame("prompt").put("id", id).put("kind", kind);
    }

    private static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("t", type);
    }

    private static String write(JsonNode frame) {
        return JSON.writeValueAsString(frame);
    }
}
