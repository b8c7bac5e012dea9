package dev.capsule.runtime.host;

import java.util.List;
import java.util.Objects;

/**
 * The host's full-screen image viewer for {@code wx.previewImage}. The host draws it, outside the
 * mini-program's view. Without a viewer, the API is absent.
 *
 * <p>Security guarantees: an image is either an {@code https://} URL whose host (and port) is in the
 * mini-program's {@code network.request} or {@code network.downloadFile} allowlist (checked as
 * {@code wx.request} checks URLs), which the host loads where it shows the image (the user's device),
 * never through the server; or one of this session's temporary files, handed over as its bytes
 * (never a host path).
 */
@FunctionalInterface
public interface ImageViewer {
    /** Shows {@code images}, starting at index {@code current}. */
    void show(String appId, List<Image> images, int current);

    /** One image to show. */
    sealed interface Image {
        /** An allowlisted https URL. */
        record Url(String url) implements Image {
            public Url {
                Objects.requireNonNull(url, "url");
            }
        }

        /** A temporary file of the session ({@code wxfile://tmp/…}) and its content. */
        record TempFile(String path, byte[] content) implements Image {
            public TempFile {
                Objects.requireNonNull(path, "path");
                content = content.clone();
            }

            @Override
            public byte[] content() {
                return content.clone();
            }

            @Override
            public String toString() {
                return "TempFile[" + path + ", " + content.length + " bytes]";
            }
        }
    }

    /** A headless host (the CLI): there is no screen, so nothing is shown. */
    ImageViewer HEADLESS = (appId, images, current) -> { };
}
