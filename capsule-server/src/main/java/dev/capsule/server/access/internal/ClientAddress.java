package dev.capsule.server.access.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The rate-limit bucket of a client address: an IPv4 address alone, an IPv6 address by its /64
 * network (one subscriber usually holds a whole /64, so limiting single IPv6 addresses would limit
 * nothing). The address is the TCP peer's; behind a reverse proxy, set
 * {@code server.forward-headers-strategy} so that it is the proxy's view of the client (never trust
 * X-Forwarded-For without a proxy that sets it).
 */
final class ClientAddress {
    static final int IPV6_PREFIX_BYTES = 8;

    private ClientAddress() {
    }

    static String bucket(String remoteAddress) {
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(remoteAddress);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Not an IP literal (a Unix socket, a test harness): one bucket for all such callers.
            return "ip:other";
        }
        if (address instanceof Inet4Address) {
            return "ip:" + address.getHostAddress();
        }
        byte[] network = Arrays.copyOf(address.getAddress(), IPV6_PREFIX_BYTES);
        return "ip6:" + HexFormat.of().formatHex(network) + "/64";
    }
}
