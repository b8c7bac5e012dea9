package dev.capsule.runtime.net;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Looks up a host name for Capsule, which then checks every answer before connecting. The HTTP
 * library never resolves names itself (see {@link PinnedDnsResolver}). Production uses
 * {@link SystemResolver}; only tests in this package supply another.
 */
interface Resolver extends AutoCloseable {
    /**
     * All addresses of {@code host}.
     *
     * @throws java.net.UnknownHostException       if the name has no address
     * @throws java.io.InterruptedIOException      if no answer came within {@code timeout}
     */
    List<InetAddress> resolve(String host, Duration timeout) throws IOException;

    /** Releases the resolver's threads, if it has any. */
    @Override
    default void close() {}
}
