package dev.capsule.runtime.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One open connection of a {@link GuardedSocketClient}. Sends are checked against
 * {@link GuardedSocketClient#MESSAGE_BYTES_MAX} here too, whatever the caller checked.
 */
public final class GuardedSocket {
    private final Session session;
    private final String host;

    GuardedSocket(Session session, String host) {
        this.session = session;
        this.host = host;
    }

    /** The host name the connection was made to (never an address). */
    public String host() {
        return host;
    }

    /** Completes when the message is written; fails with a one-line message otherwise. */
    public CompletableFuture<Void> sendText(String message) {
        if (message.getBytes(StandardCharsets.UTF_8).length > GuardedSocketClient.MESSAGE_BYTES_MAX) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message is larger than " + GuardedSocketClient.MESSAGE_BYTES_MAX + " bytes"));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendText(message, callback(sent));
        return sent;
    }

    public CompletableFuture<Void> sendBinary(byte[] message) {
        if (message.length > GuardedSocketClient.MESSAGE_BYTES_MAX) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message is larger than " + GuardedSocketClient.MESSAGE_BYTES_MAX + " bytes"));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendBinary(ByteBuffer.wrap(message.clone()), callback(sent));
        return sent;
    }

    /** Starts the closing handshake; {@link SocketListener#closed} follows. */
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    /** Drops the connection without a closing handshake (the session ended). */
    public void abort() {
        session.disconnect();
    }

    private Callback callback(CompletableFuture<Void> sent) {
        return Callback.from(() -> sent.complete(null), e -> sent.completeExceptionally(new IllegalStateException("the connection to " + host + " failed")));
    }
}
