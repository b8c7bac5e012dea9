package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the merchant API's and the wallet credit API's request bodies: JSON objects with only the documented fields,
 * each checked with a specific message (problem {@code validation} with {@code errors}), every limit a named constant.
 */
@Component
class IntentRequests {
    /** Largest amount in minor units (Stripe's: eight digits). */
    static final long AMOUNT_MINOR_MAX = 99_999_999L;
    static final int DESCRIPTION_CHARS_MAX = 200;
    static final int METADATA_PAIRS_MAX = 20;
    static final int METADATA_KEY_CHARS_MAX = 40;
    static final int METADATA_VALUE_CHARS_MAX = 500;
    static final int PAYER_CHARS_MAX = 128;
    static final int EXPIRES_IN_SECONDS_DEFAULT = 900;
    static final int EXPIRES_IN_SECONDS_MIN = 60;
    static final int EXPIRES_IN_SECONDS_MAX = 3600;
    static final int LIST_LIMIT_DEFAULT = 10;
    static final int LIST_LIMIT_MAX = 100;
    /** Largest request body read, in bytes. */
    static final int BODY_BYTES_MAX = 16 * 1024;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern METHOD = Pattern.compile("wallet|tok_[a-z2-7]{26}");

    private final JsonMapper json;

    IntentRequests(JsonMapper json) {
        this.json = json;
    }

    PaymentIntents.NewIntent newIntent(byte[] body) {
        JsonNode node = object(body, Set.of("amount", "currency", "appId", "description", "payer", "captureMethod", "paymentMethod",
                "metadata", "expiresInSeconds"));
        Errors errors = new Errors();
        long amount = amount(node, "amount", true, errors).orElse(0L);
        String currency = currency(node, errors);
        MiniProgramId app = text(node, "appId", 128, true, errors).flatMap(text -> {
            Optional<MiniProgramId> parsed = MiniProgramId.parse(text);
            if (parsed.isEmpty()) {
                errors.add("appId", "is not a mini-program id");
            }
            return parsed;
        }).orElse(null);
        String description = text(node, "description", DESCRIPTION_CHARS_MAX, true, errors).orElse("");
        Optional<String> payer = text(node, "payer", PAYER_CHARS_MAX, false, errors);
        PaymentIntent.CaptureMethod capture = text(node, "captureMethod", 16, false, errors).map(text -> switch (text) {
            case "automatic" -> PaymentIntent.CaptureMethod.AUTOMATIC;
            case "manual" -> PaymentIntent.CaptureMethod.MANUAL;
            default -> {
                errors.add("captureMethod", "is automatic or manual");
                yield PaymentIntent.CaptureMethod.AUTOMATIC;
            }
        }).orElse(PaymentIntent.CaptureMethod.AUTOMATIC);
        Optional<String> method = paymentMethod(node, errors);
        Map<String, String> metadata = metadata(node, errors);
        long expiresIn = integer(node, "expiresInSeconds", errors).orElse((long) EXPIRES_IN_SECONDS_DEFAULT);
        if (expiresIn < EXPIRES_IN_SECONDS_MIN || expiresIn > EXPIRES_IN_SECONDS_MAX) {
            errors.add("expiresInSeconds", "is " + EXPIRES_IN_SECONDS_MIN + " to " + EXPIRES_IN_SECONDS_MAX);
        }
        errors.throwIfAny();
        return new PaymentIntents.NewIntent(amount, currency, app, description, payer, capture, method, metadata, Duration.ofSeconds(expiresIn));
    }

    Optional<String> confirm(byte[] body) {
        JsonNode node = object(body, Set.of("paymentMethod"));
        Errors errors = new Errors();
        Optional<String> method = paymentMethod(node, errors);
        errors.throwIfAny();
        return method;
    }

    Optional<Long> capture(byte[] body) {
        JsonNode node = object(body, Set.of("amount"));
        Errors errors = new Errors();
        Optional<Long> amount = amount(node, "amount", false, errors);
        errors.throwIfAny();
        return amount;
    }

    void cancel(byte[] body) {
        object(body, Set.of());
    }

    record RefundRequest(PaymentIntentId intent, Optional<Long> amount) {
    }

    RefundRequest refund(byte[] body) {
        JsonNode node = object(body, Set.of("paymentIntent", "amount"));
        Errors errors = new Errors();
        Optional<PaymentIntentId> intent = text(node, "paymentIntent", 64, true, errors).flatMap(text -> {
            Optional<PaymentIntentId> parsed = PaymentIntentId.parse(text);
            if (parsed.isEmpty()) {
                errors.add("paymentIntent", "is not a payment intent id (pi_…)");
            }
            return parsed;
        });
        Optional<Long> amount = amount(node, "amount", false, errors);
        errors.throwIfAny();
        return new RefundRequest(intent.orElseThrow(), amount);
    }

    record CreditRequest(dev.capsule.server.payments.PayerId user, long amount, String currency) {
    }

    CreditRequest credit(byte[] body) {
        JsonNode node = object(body, Set.of("user", "amount", "currency"));
        Errors errors = new Errors();
        Optional<dev.capsule.server.payments.PayerId> user = text(node, "user", dev.capsule.server.payments.PayerId.CHARS_MAX, true, errors)
                .flatMap(text -> {
                    try {
                        return Optional.of(new dev.capsule.server.payments.PayerId(text));
                    } catch (IllegalArgumentException e) {
                        errors.add("user", "is 1-128 characters of letters, digits and . _ @ : -");
                        return Optional.empty();
                    }
                });
        long amount = amount(node, "amount", true, errors).orElse(0L);
        String currency = currency(node, errors);
        errors.throwIfAny();
        return new CreditRequest(user.orElseThrow(), amount, currency);
    }

    /** The {@code limit} of a list: 1 to {@value #LIST_LIMIT_MAX}, default {@value #LIST_LIMIT_DEFAULT}. */
    static int limit(Optional<Integer> limit) {
        int value = limit.orElse(LIST_LIMIT_DEFAULT);
        if (value < 1 || value > LIST_LIMIT_MAX) {
            throw invalid("limit", "is 1 to " + LIST_LIMIT_MAX);
        }
        return value;
    }

    /** An intent id from a path: anything else is 404 (as an unknown id). */
    static PaymentIntentId pathId(String text) {
        return PaymentIntentId.parse(text).orElseThrow(PaymentIntents::notFound);
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    // ---- fields

    private JsonNode object(byte[] body, Set<String> fields) {
        if (body != null && body.length > BODY_BYTES_MAX) {
            throw new ProblemException(ProblemType.REQUEST_TOO_LARGE, "the request body has more than " + BODY_BYTES_MAX + " bytes");
        }
        if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body is not a JSON object");
        }
        for (String name : node.propertyNames()) {
            if (!fields.contains(name)) {
                throw new ProblemException(ProblemType.UNKNOWN_FIELD, "the request has a field this API does not know",
                        Map.of("field", name.length() > 64 ? name.substring(0, 64) : name));
            }
        }
        return node;
    }

    private static Optional<Long> integer(JsonNode node, String field, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.add(field, "is a whole number");
            return Optional.empty();
        }
        return Optional.of(value.longValue());
    }

    private static Optional<Long> amount(JsonNode node, String field, boolean required, Errors errors) {
        Optional<Long> amount = integer(node, field, errors);
        if (amount.isEmpty()) {
            if (required && !errors.has(field)) {
                errors.add(field, "is required");
            }
            return amount;
        }
        if (amount.get() < 1 || amount.get() > AMOUNT_MINOR_MAX) {
            errors.add(field, "is 1 to " + AMOUNT_MINOR_MAX + " minor units");
            return Optional.empty();
        }
        return amount;
    }

    private static String currency(JsonNode node, Errors errors) {
        return text(node, "currency", 3, true, errors).flatMap(text -> {
            if (!CURRENCY.matcher(text).matches()) {
                errors.add("currency", "is an upper-case ISO 4217 code");
                return Optional.empty();
            }
            try {
                Currency currency = Currency.getInstance(text);
                if (currency.getNumericCode() <= 0) {
                    errors.add("currency", "has no ISO 4217 numeric code");
                    return Optional.empty();
                }
                return Optional.of(currency.getCurrencyCode());
            } catch (IllegalArgumentException e) {
                errors.add("currency", "is not an ISO 4217 currency");
                return Optional.empty();
            }
        }).orElse(null); // only read after errors.throwIfAny(), like appId
    }

    private static Optional<String> paymentMethod(JsonNode node, Errors errors) {
        Optional<String> method = text(node, "paymentMethod", 64, false, errors);
        if (method.isPresent() && !METHOD.matcher(method.get()).matches()) {
            errors.add("paymentMethod", "is \"wallet\" or a card token (tok_…)");
            return Optional.empty();
        }
        return method;
    }

    private static Optional<String> text(JsonNode node, String field, int charsMax, boolean required, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(field, "is required");
            }
            return Optional.empty();
        }
        if (!value.isString()) {
            errors.add(field, "is a string");
            return Optional.empty();
        }
        String text = value.stringValue();
        if (text.isEmpty() || text.length() > charsMax) {
            errors.add(field, "has 1 to " + charsMax + " characters");
            return Optional.empty();
        }
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            errors.add(field, "must not hold control characters or line separators");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static Map<String, String> metadata(JsonNode node, Errors errors) {
        JsonNode value = node.get("metadata");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return metadata;
        }
        if (!value.isObject()) {
            errors.add("metadata", "is an object of string values");
            return metadata;
        }
        if (value.size() > METADATA_PAIRS_MAX) {
            errors.add("metadata", "has at most " + METADATA_PAIRS_MAX + " keys");
            return metadata;
        }
        for (var entry : value.properties()) {
            String key = entry.getKey();
            JsonNode item = entry.getValue();
            if (key.isEmpty() || key.length() > METADATA_KEY_CHARS_MAX || key.codePoints().anyMatch(Character::isISOControl)) {
                errors.add("metadata", "keys have 1 to " + METADATA_KEY_CHARS_MAX + " printable characters");
            } else if (!item.isString() || item.stringValue().length() > METADATA_VALUE_CHARS_MAX
                    || item.stringValue().codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                errors.add("metadata", "values are strings of at most " + METADATA_VALUE_CHARS_MAX + " printable characters");
            } else {
                metadata.put(key, item.stringValue());
            }
        }
        return metadata;
    }

    /** Field errors collected, thrown as one {@code validation} problem. */
    private static final class Errors {
        private final List<Map<String, String>> errors = new ArrayList<>();

        void add(String field, String message) {
            errors.add(Map.of("field", field, "message", message));
        }

        boolean has(String field) {
            return errors.stream().anyMatch(error -> error.get("field").equals(field));
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new ProblemException(ProblemType.VALIDATION, errors.size() + (errors.size() == 1 ? " field is" : " fields are")
                        + " invalid", Map.of("errors", List.copyOf(errors)));
            }
        }
    }
}
