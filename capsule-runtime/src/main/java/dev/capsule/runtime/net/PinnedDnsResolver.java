package dev.capsule.runtime.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP library's resolver for one connection: it answers only the checked host, and only with
 * the addresses Capsule already resolved and checked. So the library connects to exactly those
 * addresses and never makes a second lookup that a rebinding DNS server could answer differently.
 */
final class PinnedDnsResolver implements DnsResolver {
    private final String host;
    private final List<InetAddress> addresses;
    private final int connectPort;

    /**
     * @param connectPort the TCP port to connect to: the URL's port in production; tests map it to
     *                    the local server's port
     */
    PinnedDnsResolver(String host, List<InetAddress> addresses, int connectPort) {
        this.host = host;
        this.addresses = List.copyOf(addresses);
        this.connectPort = connectPort;
    }

    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
        requirePinned(name);
        return addresses.toArray(InetAddress[]::new);
    }

    /** What the connection operator calls: the pinned addresses at the pinned port, whatever port is asked. */
    @Override
    public List<InetSocketAddress> resolve(String name, int port) throws UnknownHostException {
        requirePinned(name);
        return addresses.stream().map(a -> new InetSocketAddress(a, connectPort)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String name) throws UnknownHostException {
        requirePinned(name);
        return host;
    }

    private void requirePinned(String name) throws UnknownHostException {
        if (!host.equals(name)) {
            throw new UnknownHostException("no checked addresses for this host");
        }
    }
}
