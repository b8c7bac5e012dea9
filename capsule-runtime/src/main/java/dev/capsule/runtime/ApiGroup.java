package dev.capsule.runtime;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The groups of {@code wx} APIs of the contract (spec §3), in the order docs/runtime.md lists them. A
 * launch names the groups its session may use ({@link SessionPolicy}); the APIs of every other group
 * are absent from that session's {@code wx} ({@code wx.requestPayment === undefined}) and refused by
 * the host if called anyway, in both tiers.
 */
public enum ApiGroup {
    STORAGE("storage", "storage"),
    NETWORK("network", "network"),
    NAVIGATION("navigation", "navigation"),
    HOST_UI("host-ui", "host UI"),
    SYSTEM("system", "system"),
    SETTINGS("settings", "settings"),
    IDENTITY("identity", "identity"),
    PERSONAL_DATA("personal-data", "personal data"),
    PAYMENT("payment", "payment"),
    /** Page view APIs (navigation bar, background, tab bar, selector queries, animation, scrolling): docs/view.md "View APIs". */
    VIEW("view", "view"),
    /** Host-mediated device services: clipboard (write-only), phone call prompt, image preview, screen, vibration, network type. */
    DEVICE("device", "device");

    private final String code;
    private final String title;

    ApiGroup(String code, String title) {
        this.code = code;
        this.title = title;
    }

    /** The stable name in the worker protocol and docs. */
    public String code() {
        return code;
    }

    /** The group's name in docs/runtime.md's API table. */
    public String title() {
        return title;
    }

    /** Every group. */
    public static Set<ApiGroup> all() {
        return EnumSet.allOf(ApiGroup.class);
    }

    /** The group with this code, if any. */
    public static Optional<ApiGroup> ofCode(String code) {
        for (ApiGroup g : values()) {
            if (g.code.equals(code)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
