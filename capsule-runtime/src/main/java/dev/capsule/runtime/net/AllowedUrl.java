package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.util.List;

/**
 * The allowlist check of {@code wx.request} ({@link TargetUrl}) for a URL the host hands to a host
 * service instead of fetching it (an image the host's viewer shows): one check, one set of rules.
 */
public final class AllowedUrl {
    private AllowedUrl() {}

    /** Null if {@code url} is https to a host and port in {@code allowlist}; otherwise why not. */
    public static String refusal(String url, List<HostName> allowlist) {
        try {
            TargetUrl.check(url, allowlist);
            return null;
        } catch (RequestRefused e) {
            return e.getMessage();
        }
    }
}
