package dev.capsule.runtime.view;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The package's files as the HTML renderer reads them to inline images as {@code data:} URIs. Paths are
 * package paths without a leading slash ({@code images/a.png}).
 */
@FunctionalInterface
public interface AssetSource {
    /** Asset types the renderer inlines, by file extension; anything else is not an image and is not inlined. */
    Map<String, String> IMAGE_TYPES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif",
            "webp", "image/webp", "svg", "image/svg+xml", "bmp", "image/bmp", "ico", "image/x-icon");

    /** The file at {@code path} with its content type, or empty when there is none or it is not an image type. */
    Optional<Asset> asset(String path);

    /** Bytes and content type of one package file. */
    record Asset(byte[] bytes, String contentType) {
        public Asset {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** No assets: every image renders without a source. */
    AssetSource NONE = path -> Optional.empty();

    /** A package's files (path to bytes); the type comes from the extension ({@link #IMAGE_TYPES}). */
    static AssetSource of(Map<String, byte[]> files) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return path -> {
            byte[] bytes = copy.get(path);
            int dot = path.lastIndexOf('.');
            String type = dot < 0 ? null : IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
            return bytes == null || type == null ? Optional.empty() : Optional.of(new Asset(bytes, type));
        };
    }
}
