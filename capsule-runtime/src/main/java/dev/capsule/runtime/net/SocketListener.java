package dev.capsule.runtime.net;

/**
 * What happens to one connection of a {@link GuardedSocketClient}, in order, on the client's threads
 * (one at a time per connection): exactly one of {@link #opened} or {@link #refused}; after
 * {@code opened}, any number of messages and errors, then {@link #closed} once.
 */
public interface SocketListener {
    /** The handshake succeeded: the checked address, verified TLS, and the server accepted the upgrade. */
    void opened(GuardedSocket socket);

    /** No connection: a policy refusal (host, scheme, address), a bad request, DNS, TLS, timeout or an upgrade the server refused. */
    void refused(FailureKind kind, String message);

    void text(String message);

    void binary(byte[] message);

    /** Something went wrong on an open connection (a message over the limit, a broken connection); {@link #closed} follows. */
    void error(String message);

    void closed(int code, String reason);
}
