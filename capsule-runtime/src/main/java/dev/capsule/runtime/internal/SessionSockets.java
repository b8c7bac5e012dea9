package dev.capsule.runtime.internal;

import dev.capsule.runtime.net.GuardedSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One session's WebSocket connections, by the framework's task id (scoped to the session: a worker
 * can only name its own session's sockets). A socket counts from the connect call until it closed
 * or failed. When the session ends every connection is dropped and no new one is kept.
 * Thread-safe: the client's threads and the session's calls both reach it.
 */
final class SessionSockets {
    /** Sockets connecting or open at once, as WeChat (5). */
    static final int OPEN_MAX = 5;
    /** Messages a session may send, all sockets together, per sliding minute. */
    static final int SENT_PER_MINUTE_MAX = 600;
    /** Messages a session may receive, all sockets together, per sliding minute; more closes the socket that exceeded it (1008). */
    static final int RECEIVED_PER_MINUTE_MAX = 600;
    /** Largest task id the framework hands out; anything else is not one of its ids. */
    static final long TASK_ID_MAX = 1L << 50;

    private final Map<Long, GuardedSocket> sockets = new HashMap<>(); // null value: still connecting
    private final NetworkQuota sent = new NetworkQuota(Integer.MAX_VALUE, SENT_PER_MINUTE_MAX, "messages sent");
    private final NetworkQuota received = new NetworkQuota(Integer.MAX_VALUE, RECEIVED_PER_MINUTE_MAX, "messages received");
    private boolean ended;

    /** Null if a socket with this task id may start connecting (and counts it), else why not. */
    synchronized String tryReserve(long task) {
        if (ended) {
            return "the session has ended";
        }
        if (task <= 0 || task > TASK_ID_MAX || sockets.containsKey(task)) {
            return "bad socket task";
        }
        if (sockets.size() >= OPEN_MAX) {
            return "too many sockets open (at most " + OPEN_MAX + ")";
        }
        sockets.put(task, null);
        return null;
    }

    /** The connection opened; false (and the caller drops it) if the session ended meanwhile. */
    synchronized boolean opened(long task, GuardedSocket socket) {
        if (ended || !sockets.containsKey(task)) {
            return false;
        }
        sockets.put(task, socket);
        return true;
    }

    /** The open socket of this task, or null. */
    synchronized GuardedSocket open(long task) {
        return sockets.get(task);
    }

    synchronized void released(long task) {
        sockets.remove(task);
    }

    /** Null if one more message may be sent now (and counts it), else why not. */
    String trySend() {
        return counted(sent);
    }

    /** Null if one more message may be received now (and counts it), else why not. */
    String tryReceive() {
        return counted(received);
    }

    private static String counted(NetworkQuota quota) {
        String refused = quota.tryStart(System.currentTimeMillis());
        if (refused == null) {
            quota.finished(); // a message is counted per minute only, never "in flight"
        }
        return refused;
    }

    /** The session ended: drops every connection (no closing handshake to wait for) and keeps no new one. */
    void endAll() {
        List<GuardedSocket> open;
        synchronized (this) {
            ended = true;
            open = new ArrayList<>(sockets.values());
            sockets.clear();
        }
        open.stream().filter(java.util.Objects::nonNull).forEach(GuardedSocket::abort);
    }
}
