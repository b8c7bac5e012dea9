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

    /** Font types a stylesheet's {@code url()} may inline (for {@code @font-face}), by file extension. */
    Map<String, String> FONT_TYPES = Map.of("woff", "font/woff", "woff2", "font/woff2", "ttf", "font/ttf", "otf", "font/otf");
    /** Bytes of one file inlined as a {@code data:} URI; larger files are not inlined. */
    int INLINE_BYTES_MAX = 4 << 20;

    /** The file at {@code path} with its content type, or empty when there is none or it is not an image or font type. */
    Optional<Asset> asset(String path);

    /**
     * The file as a base64 {@code data:} URI, or empty when it is absent, larger than
     * {@link #INLINE_BYTES_MAX}, or not an image or font type. The renderer inlines images with it; it is
     * also what the WXSS compiler's {@code AssetInliner} asks for ({@code assets::dataUri}).
     */
    default Optional<String> dataUri(String path) {
        return asset(path)
                .filter(a -> a.bytes().length <= INLINE_BYTES_MAX
                        && (IMAGE_TYPES.containsValue(a.contentType()) || FONT_TYPES.containsValue(a.contentType())))
                .map(a -> "data:" + a.contentType() + ";base64," + java.util.Base64.getEncoder().encodeToString(a.bytes()));
    }

    /** Bytes and content type of one package file. */
    record Asset(byte[] bytes, String contentType) {
        public Asset {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** No assets: every image renders without a source. */
    AssetSource NONE = path -> Optional.empty();

    /** A package's files (path to bytes); the type comes from the extension ({@link #IMAGE_TYPES}, {@link #FONT_TYPES}). */
    static AssetSource of(Map<String, byte[]> files) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return path -> {
            byte[] bytes = copy.get(path);
            int dot = path.lastIndexOf('.');
            String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
            String type = IMAGE_TYPES.getOrDefault(extension, FONT_TYPES.get(extension));
            return bytes == null || type == null ? Optional.empty() : Optional.of(new Asset(bytes, type));
        };
    }
}
