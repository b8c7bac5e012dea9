package dev.capsule.runtime.view.wxss;

import java.util.Optional;

/**
 * How a renderer turns a package asset named in a stylesheet into something it can put in
 * {@code url()}: the HTML renderer answers a {@code data:} URI of the package file's bytes
 * ({@code data:image/png;base64,...}). {@link StyleSet#css(java.util.List, AssetInliner)} checks the
 * answer (a {@code data:} URI with a base64 payload and an image or font media type) and drops the
 * declaration, as it does for an empty answer.
 */
@FunctionalInterface
public interface AssetInliner {
    /**
     * @param packagePath the asset's package path without a leading slash ({@code images/bg.png})
     * @return its {@code data:} URI, or empty to drop the declaration that names it
     */
    Optional<String> dataUri(String packagePath);
}
