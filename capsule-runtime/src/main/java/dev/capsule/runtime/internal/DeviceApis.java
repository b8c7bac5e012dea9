package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.HostName;
import dev.capsule.runtime.host.ImageViewer;
import dev.capsule.runtime.host.NetworkStatus;
import dev.capsule.runtime.net.AllowedUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Host-mediated device APIs: the runtime checks the arguments, then hands them to the host's service,
 * which does the thing (writes its clipboard, asks the user and dials, shows images, keeps the screen
 * on, vibrates, reports a coarse network type). The mini-program learns nothing back beyond the
 * result WeChat gives. Each call that reaches a service, and each denial, is audited (never the
 * clipboard's text).
 */
final class DeviceApis {
    /** Longest clipboard text, in UTF-16 chars; longer texts are refused, not cut. */
    static final int CLIPBOARD_CHARS_MAX = 10_000;
    /** Most images one previewImage shows. */
    static final int PREVIEW_IMAGES_MAX = 100;
    /** Longest source (URL or temp path) previewImage takes, in chars. */
    static final int PREVIEW_SOURCE_CHARS_MAX = 2048;
    /** The listener channel of onNetworkStatusChange / offNetworkStatusChange. */
    static final String NETWORK_CHANNEL = "networkStatus";
    /** A number to dial: digits with an optional leading +, WeChat's * and # and common separators; at most 32 chars. */
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9*#][0-9*# ()-]{0,31}");
    /** How a session's temporary file path starts (wx.downloadFile's results). */
    private static final String TEMP_PREFIX = "wxfile://tmp/";

    private DeviceApis() {}

    private static String appId(ApiContext s) {
        return s.manifest().id();
    }

    static ApiOutcome setClipboardData(ApiContext s, JsonNode args) {
        String data = Json.text(args, "data");
        if (data == null) {
            return ApiOutcome.fail("parameter error: data must be a string");
        }
        if (data.length() > CLIPBOARD_CHARS_MAX) {
            return ApiOutcome.fail("parameter error: data is longer than " + CLIPBOARD_CHARS_MAX + " characters");
        }
        s.hostCall(() -> {
            s.services().devices().clipboard().orElseThrow().write(appId(s), data);
            return null;
        });
        s.audit("wx.setClipboardData", "written", data.length() + " chars");
        return new ApiOutcome.Ok(Json.object());
    }

    static ApiOutcome makePhoneCall(ApiContext s, JsonNode args) {
        String number = Json.text(args, "phoneNumber");
        if (number == null || !PHONE.matcher(number).matches()) {
            return ApiOutcome.fail("parameter error: phoneNumber must be a phone number (digits, optional leading +)");
        }
        boolean dialled = s.hostCall(() -> s.services().devices().phone().orElseThrow().dial(appId(s), number));
        // The number is what the mini-program asked to call: audited, as a payment's order would be.
        s.audit("wx.makePhoneCall", dialled ? "dialled" : "cancelled", number);
        return dialled ? new ApiOutcome.Ok(Json.object()) : ApiOutcome.fail("cancel");
    }

    static ApiOutcome previewImage(ApiContext s, JsonNode args) {
        JsonNode urls = args.get("urls");
        if (urls == null || !urls.isArray() || urls.isEmpty()) {
            return ApiOutcome.fail("parameter error: urls must be a non-empty array of strings");
        }
        if (urls.size() > PREVIEW_IMAGES_MAX) {
            return ApiOutcome.fail("parameter error: urls has more than " + PREVIEW_IMAGES_MAX + " entries");
        }
        List<HostName> allowed = new ArrayList<>(s.manifest().network().request());
        allowed.addAll(s.manifest().network().downloadFile());
        List<String> sources = new ArrayList<>();
        List<ImageViewer.Image> images = new ArrayList<>();
        for (JsonNode u : urls) {
            if (!u.isString() || u.stringValue().isEmpty() || u.stringValue().length() > PREVIEW_SOURCE_CHARS_MAX) {
                return ApiOutcome.fail("parameter error: each url must be a string of 1 to " + PREVIEW_SOURCE_CHARS_MAX + " characters");
            }
            String source = u.stringValue();
            ImageViewer.Image image;
            if (source.startsWith(TEMP_PREFIX)) {
                byte[] content = sessionTempFile(s, source);
                if (content == null) {
                    // Audited by HostSide, as every denial.
                    return ApiOutcome.denied("image " + Json.quote(source) + " is not a temporary file of this session");
                }
                image = new ImageViewer.Image.TempFile(source, content);
            } else {
                String refusal = AllowedUrl.refusal(source, allowed);
                if (refusal != null) {
                    return ApiOutcome.denied("image " + Json.quote(source) + " is neither a temporary file of this session (wxfile://tmp/…) "
                            + "nor https on a host in network.request or network.downloadFile: " + refusal);
                }
                image = new ImageViewer.Image.Url(source);
            }
            sources.add(source);
            images.add(image);
        }
        String current = Json.text(args, "current");
        int index = current == null ? 0 : sources.indexOf(current);
        if (index < 0) {
            return ApiOutcome.fail("parameter error: current must be one of urls");
        }
        s.hostCall(() -> {
            s.services().devices().imageViewer().orElseThrow().show(appId(s), List.copyOf(images), index);
            return null;
        });
        s.audit("wx.previewImage", "shown", sources.size() + " images");
        return new ApiOutcome.Ok(Json.object());
    }

    /**
     * The content of this session's temporary file at {@code path} (an exact lookup: no normalisation),
     * or null if it has none. The session's temporary files come with {@code wx.downloadFile} (issue
     * #13, helper "net": {@code ApiContext.tempFiles()}); until they are merged in, a session has none,
     * so every temporary path is unknown and denied.
     */
    private static byte[] sessionTempFile(ApiContext s, String path) {
        return null;
    }

    static ApiOutcome setKeepScreenOn(ApiContext s, JsonNode args) {
        JsonNode on = args.get("keepScreenOn");
        if (on == null || !on.isBoolean()) {
            return ApiOutcome.fail("parameter error: keepScreenOn must be a boolean");
        }
        s.hostCall(() -> {
            s.services().devices().controls().orElseThrow().keepScreenOn(appId(s), on.asBoolean());
            return null;
        });
        return new ApiOutcome.Ok(Json.object());
    }

    static ApiOutcome vibrateShort(ApiContext s, JsonNode args) {
        return vibrate(s, false);
    }

    static ApiOutcome vibrateLong(ApiContext s, JsonNode args) {
        return vibrate(s, true);
    }

    private static ApiOutcome vibrate(ApiContext s, boolean longVibration) {
        s.hostCall(() -> {
            s.services().devices().controls().orElseThrow().vibrate(appId(s), longVibration);
            return null;
        });
        return new ApiOutcome.Ok(Json.object());
    }

    /** What onNetworkStatusChange listeners get, as WeChat shapes it. */
    static String networkStatus(NetworkStatus.Type type) {
        return Json.write(Json.object().put("isConnected", type != NetworkStatus.Type.NONE).put("networkType", type.wireName()));
    }

    static ApiOutcome getNetworkType(ApiContext s, JsonNode args) {
        NetworkStatus.Type type = s.hostCall(() -> s.services().devices().networkStatus().orElseThrow().current());
        return new ApiOutcome.Ok(Json.object().put("networkType", type.wireName()));
    }
}
