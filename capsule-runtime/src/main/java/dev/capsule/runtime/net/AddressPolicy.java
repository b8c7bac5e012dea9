package dev.capsule.runtime.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which resolved addresses a request may connect to. Production uses
 * {@link PublicAddressPolicy#INSTANCE}; only tests in this package supply another (one that also
 * admits the loopback test server).
 */
@FunctionalInterface
interface AddressPolicy {
    /** Why no connection may be made to {@code address} (a short category, no address), or empty if it may. */
    Optional<String> blockReason(InetAddress address);
}
