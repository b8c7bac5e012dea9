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

    /**
     * Every address {@code host} resolved to, checked: one bad address refuses the whole answer rather
     * than being skipped (a name that mixes public and internal addresses is under the control of
     * someone who should not be trusted with the choice). Used by every client of this package.
     */
    default void requireAllowed(String host, java.util.List<InetAddress> addresses) throws RequestRefused {
        if (addresses.isEmpty()) {
            throw new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host);
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = blockReason(address);
            if (reason.isPresent()) {
                throw new RequestRefused(FailureKind.ADDRESS_BLOCKED, host + " resolves to an address that is not public (" + reason.get() + ")");
            }
        }
    }
}
