package dev.capsule.server.host.internal;

import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.PaymentSheets.MethodChoice;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The browser's answer to a payment sheet: {@code false} (the user closed it: cancel) or
 * {@code {"method": "wallet" | "tok_…", "stepUp"?: {…}}} (the method chosen and, when the sheet asked for it, the
 * step-up answer). Card details are never part of it: they go to the shell's card endpoint over HTTPS, and the sheet
 * answers with the token that endpoint returned.
 *
 * <p>Security guarantees: {@link #fits} accepts nothing else (no other field, no other type), so {@link Prompts}
 * refuses a malformed answer without using up the prompt; whether the token is the payer's and the step-up answer
 * proves presence is the payments module's decision ({@code PaymentSheets.confirm}), never the browser's.
 *
 * @param method empty when the user cancelled
 */
record PaymentAnswer(Optional<MethodChoice> method, Optional<JsonNode> stepUp) {
    static final String WALLET = "wallet";
    private static final List<String> FIELDS = List.of("method", "stepUp");

    static boolean fits(JsonNode value) {
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (!value.isObject() || !FIELDS.containsAll(value.propertyNames())) {
            return false;
        }
        JsonNode method = value.get("method");
        JsonNode stepUp = value.get("stepUp");
        return method != null && method.isString() && choice(method.stringValue()).isPresent()
                && (stepUp == null || stepUp.isObject());
    }

    /** The answer of a prompt that {@link #fits} accepted; an empty value (unanswered, session ended) is cancel. */
    static PaymentAnswer of(Optional<JsonNode> answered) {
        JsonNode value = answered.orElse(null);
        if (value == null || !value.isObject() || !fits(value)) {
            return new PaymentAnswer(Optional.empty(), Optional.empty());
        }
        return new PaymentAnswer(choice(value.get("method").stringValue()), Optional.ofNullable(value.get("stepUp")));
    }

    private static Optional<MethodChoice> choice(String method) {
        if (WALLET.equals(method)) {
            return Optional.of(new MethodChoice.Wallet());
        }
        return CardToken.parse(method).map(MethodChoice.Card::new);
    }
}
