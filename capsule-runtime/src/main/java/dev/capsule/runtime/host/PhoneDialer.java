package dev.capsule.runtime.host;

/**
 * The host's dialer for {@code wx.makePhoneCall}. The mini-program never dials: the host shows the
 * number and asks the user, and only a confirmed call is dialled, by the host. Without a dialer, the
 * API is absent.
 *
 * <p>Security guarantees: the runtime hands over a number of digits (and a leading {@code +}, {@code *},
 * {@code #} and separators) checked before the call; every call is audited, confirmed or cancelled.
 */
@FunctionalInterface
public interface PhoneDialer {
    /** Asks the user to call {@code number}; true if the user confirmed and the host dialled. */
    boolean dial(String appId, String number);

    /** A headless host (the CLI): there is no user to confirm, so every call is cancelled. */
    PhoneDialer HEADLESS = (appId, number) -> false;
}
