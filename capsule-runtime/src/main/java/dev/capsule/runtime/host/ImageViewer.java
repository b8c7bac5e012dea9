package dev.capsule.runtime.host;

import java.util.List;

/**
 * The host's full-screen image viewer for {@code wx.previewImage}. The host draws it, outside the
 * mini-program's view. Without a viewer, the API is absent.
 *
 * <p>Security guarantees: every source is either an {@code https://} URL whose host (and port) is in
 * the mini-program's {@code network} allowlists of capsule.json, or a temp path of this session
 * ({@code wxfile://tmp/…}); never a host path, never another scheme. The host loads a URL where it
 * shows the image (the user's device), never through the server.
 */
@FunctionalInterface
public interface ImageViewer {
    /** Shows {@code sources} (checked as above), starting at index {@code current}. */
    void show(String appId, List<String> sources, int current);

    /** A headless host (the CLI): there is no screen, so nothing is shown. */
    ImageViewer HEADLESS = (appId, sources, current) -> { };
}
