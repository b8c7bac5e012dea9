package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.SecurityEvent;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields other modules' events share (outcome, actor, detail), read once for every listener that writes such an
 * event to the log: a module event carries them as plain text ({@code "success"}, {@code "operator:<uuid>"}), and this
 * turns them into checked {@link EntryFields}.
 *
 * <p>Security guarantees: an outcome other than success or denied is recorded as a failure (never dropped); an actor is
 * recorded only as an API key's public id or an operator's UUID, anything else (never a secret) is left out; a detail
 * is cut to {@link EntryFields#TEXT_CHARS_MAX} on one line (control characters become spaces, a surrogate pair is never
 * split), never refused, so an odd detail cannot make an event go unrecorded.
 */
final class ModuleEventFields {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern API_KEY = Pattern.compile("apikey:([0-9a-f]{16})");
    private static final Pattern OPERATOR = Pattern.compile("operator:([0-9a-f-]{36})");

    private ModuleEventFields() {
    }

    /** The three outcomes the log knows; anything else a publisher wrote is recorded as a failure. */
    static SecurityEvent.Outcome outcome(String outcome) {
        return switch (outcome) {
            case "success" -> SecurityEvent.Outcome.SUCCESS;
            case "denied" -> SecurityEvent.Outcome.DENIED;
            default -> SecurityEvent.Outcome.FAILURE;
        };
    }

    /** Records the actor ({@code apikey:<public id>} or {@code operator:<uuid>}); any other form is left out. */
    static void actor(EntryFields fields, Optional<String> actor) {
        actor.ifPresent(text -> {
            Matcher key = API_KEY.matcher(text);
            Matcher operator = OPERATOR.matcher(text);
            if (key.matches()) {
                fields.apiKey(key.group(1));
            } else if (operator.matches()) {
                fields.actor(UUID.fromString(operator.group(1)));
            }
        });
    }

    /** A non-success outcome's detail that is a code becomes the {@code reason}; any other detail is bounded text. */
    static void reasonOrDetail(EntryFields fields, String outcome, Optional<String> detail) {
        Optional<String> text = detail.filter(value -> !value.isEmpty());
        if (text.isPresent() && !"success".equals(outcome) && CODE.matcher(text.get()).matches()) {
            fields.reason(text.get());
        } else {
            fields.detail(text.map(ModuleEventFields::bounded).orElse(null));
        }
    }

    /** The text on one line, cut to {@link EntryFields#TEXT_CHARS_MAX} characters; null for empty text. */
    static String bounded(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String oneLine = text.replaceAll("\\p{Cntrl}", " ");
        if (oneLine.length() <= EntryFields.TEXT_CHARS_MAX) {
            return oneLine;
        }
        int end = EntryFields.TEXT_CHARS_MAX;
        // Never cut between the two halves of a surrogate pair (the entry must stay well-formed text).
        return oneLine.substring(0, Character.isHighSurrogate(oneLine.charAt(end - 1)) ? end - 1 : end);
    }
}
