package dev.capsule.server.host.internal;

import dev.capsule.server.host.internal.Wire.WireException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The prompts of one session waiting for the browser (modal, action sheet, consent, payment sheet, the card issuer's
 * challenge): each is a {@code prompt}
 * frame with a fresh id, answered exactly once; unanswered after {@code capsule.host.prompt-seconds}, or when the
 * session ends, it counts as cancel/deny. A session that reconnects gets the waiting prompts again.
 *
 * <p>Security guarantees: an answer must name a waiting prompt and have exactly the field of its kind with a value in
 * range; a second answer, an answer to another kind's field or an index outside the sheet is refused and changes
 * nothing.
 */
final class Prompts {
    /** Prompts of one session waiting at once (the runtime asks one at a time per event; a few more cover overlap). */
    static final int WAITING_MAX = 8;

    /** What a prompt asks, and the one answer field of its kind. */
    enum Kind {
        MODAL("confirm"), ACTION_SHEET("index"), CONSENT("allow"), PAYMENT("payment"), PAYMENT_CHALLENGE("challenge");

        final String field;

        Kind(String field) {
            this.field = field;
        }
    }

    private record Waiting(Kind kind, String frame, int items, CompletableFuture<Optional<JsonNode>> answer) {}

    private final Map<Integer, Waiting> waiting = new LinkedHashMap<>();
    private int nextId = 1;
    private boolean closed;

    /**
     * Sends a prompt built by {@code frame} (given its id) through {@code send} and waits for the answer's value: empty
     * when it is not answered within {@code wait}, when too many prompts wait, or once the session ended.
     *
     * @param items the number of items of an action sheet (0 otherwise)
     */
    Optional<JsonNode> ask(Kind kind, IntFunction<String> frame, int items, Consumer<String> send, Duration wait)
            throws InterruptedException {
        int id;
        CompletableFuture<Optional<JsonNode>> answer = new CompletableFuture<>();
        String text;
        synchronized (this) {
            if (closed || waiting.size() >= WAITING_MAX) {
                return Optional.empty();
            }
            id = nextId++;
            text = frame.apply(id);
            waiting.put(id, new Waiting(kind, text, items, answer));
        }
        try {
            send.accept(text);
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        } finally {
            synchronized (this) {
                waiting.remove(id);
            }
        }
    }

    /** The browser's answer to prompt {@code id}; refused (nothing changes) unless it fits a waiting prompt. */
    void answer(int id, ObjectNode fields) throws WireException {
        Waiting prompt;
        synchronized (this) {
            prompt = waiting.remove(id);
        }
        if (prompt == null) {
            throw new WireException("no prompt with this id is waiting for an answer");
        }
        JsonNode value = fields.get(prompt.kind().field);
        boolean fits = value != null && switch (prompt.kind()) {
            case MODAL, CONSENT -> value.isBoolean();
            case ACTION_SHEET -> value.isInt() && value.intValue() >= -1 && value.intValue() < prompt.items();
            case PAYMENT -> PaymentAnswer.fits(value);
            case PAYMENT_CHALLENGE -> value.isBoolean() && !value.booleanValue() || value.isObject();
        };
        if (!fits) {
            synchronized (this) {
                waiting.put(id, prompt); // still waiting: a wrong answer does not use up the prompt
            }
            throw new WireException("the answer does not fit the prompt: a " + prompt.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " is answered with \"" + prompt.kind().field + "\"" + switch (prompt.kind()) {
                        case PAYMENT -> ": false, or {\"method\": \"wallet\" or a card token, \"stepUp\"?: {…}}";
                        case PAYMENT_CHALLENGE -> ": false, or the challenge's answer object";
                        default -> "";
                    });
        }
        prompt.answer().complete(Optional.of(value));
    }

    /** The frames of the prompts still waiting, oldest first (sent again to a browser that resumed). */
    synchronized List<String> waitingFrames() {
        List<String> frames = new ArrayList<>();
        waiting.values().forEach(w -> frames.add(w.frame()));
        return frames;
    }

    /** The session ended: every waiting prompt is cancelled, and later ones are not sent. */
    void close() {
        List<Waiting> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        left.forEach(w -> w.answer().complete(Optional.empty()));
    }
}
