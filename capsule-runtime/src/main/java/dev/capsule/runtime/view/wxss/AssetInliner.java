package dev.capsule.runtime.view.wxss;

import java.util.Optional;

/**
 * How a renderer turns a package asset named in a stylesheet into something it can put in
 * {@code url()}: the HTML renderer answers a {@code data:} URI of the package file's bytes
 * ({@code data:image/png;base64,...}); the host shell answers a same-origin path the server serves
 * ({@code /shell/s/<sid>/assets/images/bg.png}). {@link StyleSet#css(java.util.List, AssetInliner)} checks the
 * answer ({@link StyleSet#isAssetAnswer}: a {@code data:} URI with a base64 payload and an image or font media
 * type, or a path starting with one {@code /} of safe characters only) and drops the declaration, as it does
 * for an empty answer; {@code BrowserView} checks its image URLs the same way.
 */
@FunctionalInterface
public interface AssetInliner {
    /**
     * @param packagePath the asset's package path without a leading slash ({@code images/bg.png})
     * @return its {@code data:} URI or same-origin path, or empty to drop the declaration that names it
     */
    Optional<String> dataUri(String packagePath);
}
