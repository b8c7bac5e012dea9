package dev.capsule.runtime.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Admits only globally reachable unicast addresses, so that an allowlisted name that resolves
 * inside a network (by mistake, by a hostile DNS answer, or by rebinding) cannot be reached.
 *
 * <p>IPv4: everything in the IANA special-purpose registry that is not globally reachable is
 * blocked (table below), plus multicast, 240/4 and broadcast.
 *
 * <p>IPv6: only global unicast (2000::/3) is admitted, minus its special ranges. Outside it, two
 * forms embed an IPv4 address and are judged by that address: IPv4-mapped {@code ::ffff:a.b.c.d}
 * and NAT64 {@code 64:ff9b::a.b.c.d}; 6to4 {@code 2002::/16} inside it likewise. Everything else
 * is blocked: loopback, unspecified, IPv4-compatible {@code ::a.b.c.d} (deprecated since 2006;
 * blocked whole, stricter than checking the embedded address), unique local fc00::/7, link-local
 * fe80::/10, site-local, multicast, local-use NAT64 64:ff9b:1::/48, discard 100::/64. Inside
 * 2000::/3, 2001::/23 (IETF protocol assignments, which holds Teredo 2001::/32 and benchmarking)
 * is blocked whole, also stricter than decoding Teredo's embedded addresses: no real server
 * lives there.
 */
final class PublicAddressPolicy implements AddressPolicy {
    static final PublicAddressPolicy INSTANCE = new PublicAddressPolicy();

    private record Blocked(Cidr range, String reason) {
        Blocked(String range, String reason) {
            this(Cidr.parse(range), reason);
        }
    }

    // Order matters only for the reason given: the first match names it.
    private static final List<Blocked> IPV4 = List.of(
            new Blocked("0.0.0.0/8", "unspecified or 'this network'"),
            new Blocked("10.0.0.0/8", "private network"),
            new Blocked("100.64.0.0/10", "carrier-grade NAT"),
            new Blocked("127.0.0.0/8", "loopback"),
            new Blocked("169.254.0.0/16", "link-local"),
            new Blocked("172.16.0.0/12", "private network"),
            new Blocked("192.0.0.0/24", "IETF protocol assignments"),
            new Blocked("192.0.2.0/24", "documentation"),
            new Blocked("192.88.99.0/24", "6to4 relay anycast"),
            new Blocked("192.168.0.0/16", "private network"),
            new Blocked("198.18.0.0/15", "benchmarking"),
            new Blocked("198.51.100.0/24", "documentation"),
            new Blocked("203.0.113.0/24", "documentation"),
            new Blocked("224.0.0.0/4", "multicast"),
            new Blocked("255.255.255.255/32", "broadcast"),
            new Blocked("240.0.0.0/4", "reserved"));

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final List<Blocked> IPV6_OUTSIDE_GLOBAL = List.of(
            new Blocked("::/128", "unspecified"),
            new Blocked("::1/128", "loopback"),
            new Blocked("::/96", "IPv4-compatible (deprecated)"),
            new Blocked("fc00::/7", "unique local"),
            new Blocked("fe80::/10", "link-local"),
            new Blocked("fec0::/10", "site-local (deprecated)"),
            new Blocked("ff00::/8", "multicast"),
            new Blocked("64:ff9b:1::/48", "local-use NAT64"),
            new Blocked("100::/64", "discard-only"));
    private static final List<Blocked> IPV6_INSIDE_GLOBAL = List.of(
            new Blocked("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ...)"),
            new Blocked("2001:db8::/32", "documentation"),
            new Blocked("3fff::/20", "documentation"));

    private PublicAddressPolicy() {}

    @Override
    public Optional<String> blockReason(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
    }

    private static Optional<String> ipv4(byte[] bytes) {
        return first(IPV4, bytes);
    }

    private static Optional<String> ipv6(byte[] bytes) {
        // The JDK turns ::ffff:a.b.c.d into an Inet4Address when it parses text, but an
        // Inet6Address made from raw bytes (or by another resolver) keeps the mapped form.
        if (isMappedV4(bytes)) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16)).map(r -> "IPv4-mapped, " + r);
        }
        if (NAT64.contains(bytes)) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16)).map(r -> "NAT64, " + r);
        }
        if (!GLOBAL_UNICAST_V6.contains(bytes)) {
            return Optional.of(first(IPV6_OUTSIDE_GLOBAL, bytes).orElse("reserved"));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return ipv4(Arrays.copyOfRange(bytes, 2, 6)).map(r -> "6to4, " + r);
        }
        return first(IPV6_INSIDE_GLOBAL, bytes);
    }

    private static boolean isMappedV4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static Optional<String> first(List<Blocked> table, byte[] bytes) {
        return table.stream().filter(b -> b.range().contains(bytes)).map(Blocked::reason).findFirst();
    }
}
