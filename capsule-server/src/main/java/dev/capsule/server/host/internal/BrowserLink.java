package dev.capsule.server.host.internal;

/**
 * The one open WebSocket of a hosted session's browser, as the session sees it: frames out, and closing. A session
 * outlives its link (the browser reconnects and resumes); sends on a closed link are dropped.
 */
interface BrowserLink {
    /** Queues one text frame; never blocks for long (a browser that does not read is disconnected). */
    void send(String frame);

    /** Closes the socket with a WebSocket close code and a short reason of the host's own. */
    void close(int code, String reason);

    boolean isOpen();
}
