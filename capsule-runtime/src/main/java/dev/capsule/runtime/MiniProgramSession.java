package dev.capsule.runtime;

import java.time.Duration;

/**
 * One running mini-program for one user: its own sandboxed JavaScript context, event loop, page
 * stack and storage area. Methods may be called from any thread; the work runs on the session's
 * own thread, and events reach the {@link EventSink} given at launch.
 */
public interface MiniProgramSession extends AutoCloseable {
    /**
     * Queues a view event: calls {@code handler} on the page at {@code route} (null: the current page)
     * with an event object built from {@code eventJson} ({"type", "detail", "target", "currentTarget"}).
     */
    void dispatch(String handler, String route, String eventJson);

    /** Waits until no event, timer or outstanding call is left, or the session ended; false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** The route of the page on top of the stack, or null before the first page. */
    String currentRoute();

    /** True once the session has ended (closed, or stopped for a violation). */
    boolean ended();

    /** 0 if the session ran to its end, 1 if it stopped for a violation or a fatal error. */
    int exitCode();

    /** Ends the session (exit 0 unless it already stopped) and releases its context and thread. */
    @Override
    void close();
}
