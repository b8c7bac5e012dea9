package dev.capsule.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressPolicyTest {
    private static final AddressPolicy POLICY = PublicAddressPolicy.INSTANCE;

    /** An IPv6 address from 32 hex digits, kept as IPv6 even when it is IPv4-mapped. */
    private static InetAddress v6(String hex) throws UnknownHostException {
        return Inet6Address.getByAddress(null, HexFormat.of().parseHex(hex), -1);
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "10.0.0.1, private", "10.255.255.255, private",
            "100.64.0.1, carrier-grade NAT", "100.127.255.255, carrier-grade NAT", "127.0.0.1, loopback", "127.255.0.9, loopback",
            "169.254.169.254, link-local", "169.254.0.1, link-local", "172.16.0.1, private", "172.31.255.255, private",
            "192.0.0.8, IETF", "192.0.2.1, documentation", "192.88.99.1, 6to4", "192.168.0.1, private", "198.18.0.1, benchmarking",
            "198.19.255.255, benchmarking", "198.51.100.7, documentation", "203.0.113.9, documentation", "224.0.0.1, multicast",
            "239.255.255.250, multicast", "240.0.0.1, reserved", "255.255.255.255, broadcast"})
    void blocksInternalAndSpecialIpv4(String address, String reason) {
        assertThat(POLICY.blockReason(InetAddress.ofLiteral(address))).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "169.253.255.255", "192.0.1.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1", "126.255.255.255"})
    void admitsPublicIpv4(String address) {
        assertThat(POLICY.blockReason(InetAddress.ofLiteral(address))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "::, unspecified", "::1, loopback", "fd00::1, unique local", "fc00::1, unique local", "fe80::1, link-local",
            "febf::1, link-local", "fec0::1, site-local", "ff02::1, multicast", "ff0e::1, multicast", "::7f00:1, IPv4-compatible",
            "::808:808, IPv4-compatible", "64:ff9b:1::1, local-use NAT64", "100::1, discard", "2001::1, Teredo",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo", "2001:2::1, benchmarking", "2001:db8::1, documentation",
            "3fff::1, documentation", "4000::1, reserved", "5f00::1, reserved", "e000::1, reserved"})
    void blocksInternalAndSpecialIpv6(String address, String reason) {
        assertThat(POLICY.blockReason(InetAddress.ofLiteral(address))).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2606:4700:4700::1111", "2001:4860:4860::8888", "2400:cb00::1", "2a00:1450:4001::1", "2001:200::1"})
    void admitsGlobalUnicastIpv6(String address) {
        assertThat(POLICY.blockReason(InetAddress.ofLiteral(address))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            // IPv4-mapped, as raw IPv6 (the JDK would turn the text form into IPv4)
            "00000000000000000000ffff7f000001, loopback", "00000000000000000000ffffa9fea9fe, link-local",
            "00000000000000000000ffff0a000001, private", "00000000000000000000ffff00000000, unspecified",
            // NAT64 well-known prefix
            "0064ff9b0000000000000000c0a80001, private", "0064ff9b00000000000000007f000001, loopback",
            // 6to4
            "20020a00000100000000000000000001, private", "2002a9fea9fe00000000000000000001, link-local"})
    void judgesEmbeddedIpv4ByTheEmbeddedAddress(String hex, String reason) throws UnknownHostException {
        assertThat(POLICY.blockReason(v6(hex))).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000000000000000ffff01010101", "0064ff9b000000000000000008080808", "2002080808080000000000000000000a"})
    void admitsEmbeddedPublicIpv4(String hex) throws UnknownHostException {
        assertThat(POLICY.blockReason(v6(hex))).isEmpty();
    }
}
