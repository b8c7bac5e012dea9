package dev.capsule.runtime.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@link GuardedHttpClient}s for tests outside the runtime that send to a local HTTPS receiver of their own (the
 * server's webhook tests run one in Node): {@code host} resolves to 127.0.0.1 and nothing else resolves, the receiver's
 * port is connected to whatever port the URL names, only {@code trust} is trusted, and the address policy is
 * production's except that 127.0.0.1 is explicitly admitted. Everything else (allowlist, TLS checks, limits, headers)
 * is the production code path. Test code only: the production client has no way to admit loopback.
 */
public final class LoopbackClients {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    private LoopbackClients() {
    }

    /** A client whose only reachable name is {@code host}, at 127.0.0.1:{@code port}. Close it after use. */
    public static GuardedHttpClient client(NetLimits limits, SSLContext trust, String host, int port) {
        Resolver resolver = (name, timeout) -> {
            if (!name.equals(host)) {
                throw new UnknownHostException(name);
            }
            return List.of(LOOPBACK);
        };
        AddressPolicy policy = address -> address.equals(LOOPBACK) ? Optional.empty() : PublicAddressPolicy.INSTANCE.blockReason(address);
        return new GuardedHttpClient(limits, resolver, policy, trust, urlPort -> port);
    }
}
