package dev.capsule.runtime.view.wxml;

import dev.capsule.core.manifest.AppConfig;
import java.util.Map;
import java.util.Optional;

/**
 * Which custom component each tag of each page or component names: {@code usingComponents} of
 * app.json (everywhere) and of each page/component json (relative, absolute, {@code miniprogram_npm}
 * nearest-first), {@code componentGenerics}, {@code componentPlaceholder}, {@code component: true} and
 * {@code styleIsolation}. Security guarantees: only package paths; {@code plugin://} is refused.
 */
public final class ComponentIndex {
    /** Bytes of one page or component json. */
    public static final int JSON_BYTES_MAX = 256 * 1024;
    /** Entries of one {@code usingComponents} (or generics, placeholders). */
    public static final int ENTRIES_MAX = 500;

    private ComponentIndex() {
    }

    public static ComponentIndex resolve(Map<String, byte[]> packageFiles, AppConfig app) throws WxmlException {
        throw new UnsupportedOperationException("API only");
    }

    /** The declaration of a page or component (package path without extension). */
    public Optional<ComponentDecl> of(String pathWithoutExt) {
        throw new UnsupportedOperationException("API only");
    }

    /** Every page and component json that was read, by path without extension. */
    public Map<String, ComponentDecl> all() {
        throw new UnsupportedOperationException("API only");
    }

    /** The component a tag names inside {@code ownerPath} (its own json first, then app.json's), as a path without extension. */
    public Optional<String> resolveTag(String ownerPath, String tag) {
        throw new UnsupportedOperationException("API only");
    }
}
