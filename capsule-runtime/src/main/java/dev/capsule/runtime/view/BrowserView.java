package dev.capsule.runtime.view;

import dev.capsule.runtime.view.wxss.AssetInliner;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The host shell's wire (docs/host.md, "Wire protocol"): a session's current page as JSON frames for a browser
 * that builds the DOM from data with safe DOM APIs only. One per hosted session: it remembers the page it last
 * sent, so {@link #update} answers a {@code page} frame after a navigation and an {@code ops} frame with the
 * difference otherwise.
 *
 * <p>The element projection (tag names, attribute names and values, classes, style) is {@link HtmlRenderer}'s
 * mapping ({@code ElementMapping}, one mapping for both), with the shell's differences: form controls are live
 * (no {@code readonly}), image {@code src}, CSS {@code url()} and tab bar icons become the same-origin URLs
 * {@code assetUrls} answers, remote images are dropped, and guest {@code data-*} are not written (an event names
 * its node; the session resolves dataset and marks).
 *
 * <p>Security guarantees: every frame is built from parsed values with Jackson, never by concatenating text;
 * element and attribute names come from the mapping's closed sets, never from guest data; values come from a
 * {@link ViewSnapshot} the host's {@link ViewTree} checked; an asset URL is written only if it is a same-origin
 * path of safe characters ({@code /…}), else the image or declaration is dropped.
 */
public final class BrowserView {
    private final AssetInliner assetUrls;
    private final Function<String, String> cssUrl;

    /**
     * @param assetUrls the same-origin URL of a package asset ({@code /shell/s/<sid>/assets/images/a.png}), or empty
     * @param cssUrl    the same-origin URL of a route's compiled stylesheet ({@code /shell/s/<sid>/page.css?route=…})
     */
    public BrowserView(AssetInliner assetUrls, Function<String, String> cssUrl) {
        this.assetUrls = Objects.requireNonNull(assetUrls, "assetUrls");
        this.cssUrl = Objects.requireNonNull(cssUrl, "cssUrl");
    }

    /** The whole page as a {@code page} frame (on open, on resume); remembered as what the browser now shows. */
    public synchronized String page(ShownPage page) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * What brings the browser up to date with {@code current}: a {@code page} frame when it is another page than
     * the one last sent (or none was sent), an {@code ops} frame with the difference when the same page changed,
     * empty when nothing changed or there is no page. Call it after every {@code RuntimeEvent.View} and
     * {@code RuntimeEvent.Lifecycle}, and after {@code navigateBack}/{@code switchTab}; several changes coalesce.
     */
    public synchronized Optional<String> update(Optional<ShownPage> current) {
        throw new UnsupportedOperationException("TODO");
    }
}
