package dev.capsule.runtime.host;

/**
 * The device's network status for {@code wx.getNetworkType} and {@code wx.onNetworkStatusChange},
 * deliberately coarse: whether there is a connection and whether it is Wi-Fi, never the carrier, the
 * generation or the signal (those fingerprint the user and say where they are). Without it, the APIs
 * are absent.
 */
@FunctionalInterface
public interface NetworkStatus {
    /** What the device's connection is now. */
    Type current();

    /** The coarse types, with WeChat's {@code networkType} names. */
    enum Type {
        WIFI("wifi"),
        /** Connected some other way (cellular, wired): WeChat's "unknown". */
        UNKNOWN("unknown"),
        NONE("none");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** WeChat's name for it. */
        public String wireName() {
            return wireName;
        }
    }

    /** A headless host (the CLI) cannot tell what the connection is. */
    NetworkStatus HEADLESS = () -> Type.UNKNOWN;
}
