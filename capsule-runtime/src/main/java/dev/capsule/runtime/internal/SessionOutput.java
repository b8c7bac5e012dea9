package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.RuntimeEvent;

/**
 * The one way a session's events reach its {@link EventSink}, in both tiers: counts what the session
 * has delivered against {@code sessionOutputBytesMax}, makes page data and UI JSON safe for line
 * splitters, and closes with exactly one exit event, after which nothing more is delivered.
 *
 * <p>Security guarantees: a session delivers at most {@code bytesMax} bytes of events (each event
 * counted by the UTF-8 length of its text fields plus a small fixed cost); the event that would pass
 * the cap is dropped, and so is every later one except the session's violation and exit, and
 * {@code capReached} runs once, so that the session ends with an {@code output} violation. Whatever
 * produced a {@code json} field, U+2028, U+2029, U+0085 and every other character
 * {@code SafeText.isUnsafe} names are escaped (core's {@code SafeText.jsonText}: they can only occur
 * inside JSON strings, where the escape means the same), so no line splitter sees an extra line.
 */
final class SessionOutput {
    /** What every event costs beyond its text (its type and framing in any consumer's stream). */
    static final int EVENT_OVERHEAD_BYTES = 16;

    private final EventSink sink;
    private final long bytesMax;
    private final Runnable capReached;
    private long bytes;
    private boolean capped;
    private boolean closed;

    SessionOutput(EventSink sink, long bytesMax, Runnable capReached) {
        this.sink = sink;
        this.bytesMax = bytesMax;
        this.capReached = capReached;
    }

    /**
     * Delivers a counted event; false if it was dropped (the cap is spent or the session has ended).
     * Violations and the exit are delivered with {@link #violation} and {@link #exit}, uncounted.
     */
    boolean emit(RuntimeEvent event) {
        RuntimeEvent safe = safe(event);
        boolean justCapped = false;
        synchronized (this) {
            if (closed || capped) {
                return false;
            }
            bytes += size(safe);
            if (bytes > bytesMax) {
                capped = true;
                justCapped = true;
            } else {
                sink.accept(safe);
                return true;
            }
        }
        if (justCapped) {
            capReached.run(); // outside the lock: it ends the session, which delivers the violation and the exit
        }
        return false;
    }

    /** Delivers a violation (never counted: the report of a broken limit must not be dropped by another). */
    synchronized boolean violation(RuntimeEvent.Violation violation) {
        if (closed) {
            return false;
        }
        sink.accept(violation);
        return true;
    }

    /** Delivers the exit event once and closes; false if the session had already ended. */
    synchronized boolean exit(RuntimeEvent.Exit exit) {
        if (closed) {
            return false;
        }
        closed = true;
        sink.accept(exit);
        return true;
    }

    /** Delivers the violation that ends the session (if any), then the exit, with nothing between; false if already ended. */
    synchronized boolean end(RuntimeEvent.Violation violation, RuntimeEvent.Exit exit) {
        if (closed) {
            return false;
        }
        if (violation != null) {
            sink.accept(violation);
        }
        return exit(exit);
    }

    /** The message of the violation that ends a session at the cap. */
    String capMessage() {
        return "the session delivered more than " + bytesMax + " bytes of output";
    }

    private static RuntimeEvent safe(RuntimeEvent event) {
        return switch (event) {
            case RuntimeEvent.Data d -> new RuntimeEvent.Data(d.route(), SafeText.jsonText(d.json()));
            case RuntimeEvent.Ui u -> new RuntimeEvent.Ui(u.kind(), SafeText.jsonText(u.json()));
            default -> event;
        };
    }

    static long size(RuntimeEvent event) {
        long text = switch (event) {
            case RuntimeEvent.Launch e -> utf8(e.appId()) + utf8(e.version()) + utf8(e.userId());
            case RuntimeEvent.Lifecycle e -> utf8(e.target()) + utf8(e.hook());
            case RuntimeEvent.Data e -> utf8(e.route()) + utf8(e.json());
            case RuntimeEvent.Api e -> utf8(e.name()) + utf8(e.reason());
            case RuntimeEvent.Ui e -> utf8(e.kind()) + utf8(e.json());
            case RuntimeEvent.Log e -> utf8(e.level()) + utf8(e.text());
            case RuntimeEvent.Violation e -> utf8(e.message());
            case RuntimeEvent.View e -> utf8(e.route()) + ViewMessages.size(e.batch());
            case RuntimeEvent.Exit e -> utf8(e.reason());
        };
        return text + EVENT_OVERHEAD_BYTES;
    }

    /** UTF-8 length without encoding (an unpaired surrogate counts as the 3 bytes of its replacement). */
    static long utf8(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

}
