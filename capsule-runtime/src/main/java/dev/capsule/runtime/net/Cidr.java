package dev.capsule.runtime.net;

import java.net.InetAddress;

/** An address range such as {@code 10.0.0.0/8} or {@code fc00::/7}, matched on raw address bytes. */
final class Cidr {
    private final byte[] network;
    private final int prefixBits;

    private Cidr(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** Parses {@code address/bits}; the address must be a literal (this never looks up a name). */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        byte[] network = InetAddress.ofLiteral(text.substring(0, slash)).getAddress();
        int bits = Integer.parseInt(text.substring(slash + 1));
        if (bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
        return new Cidr(network, bits);
    }

    /** True if {@code address} (4 or 16 bytes) is in this range; a v4 address is never in a v6 range. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefixBits / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }
}
