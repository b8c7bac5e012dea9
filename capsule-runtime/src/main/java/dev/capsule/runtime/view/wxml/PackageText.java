package dev.capsule.runtime.view.wxml;

import dev.capsule.core.pkg.PackagePaths;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading package files as text and resolving references between them; shared by {@link TemplateSet} and {@link ComponentIndex}. */
final class PackageText {
    private PackageText() {
    }

    /** The file as UTF-8 text (a leading byte-order mark dropped, as WeChat's tools accept one). */
    static String utf8(String path, byte[] bytes, int bytesMax) throws WxmlException {
        if (bytes.length > bytesMax) {
            throw new WxmlException(path, 0, 0, "larger than " + bytesMax + " bytes");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new WxmlException(path, 0, 0, "not valid UTF-8");
        }
    }

    /** The folder of a package path: "" for a root file, else ending in "/". */
    static String dir(String file) {
        return file.substring(0, file.lastIndexOf('/') + 1);
    }

    /**
     * A reference written in a file ({@code ./a}, {@code ../a}, {@code a}: relative; {@code /a}: from the
     * package root) as a normalized package path; empty when it is not a package path (a scheme, a
     * backslash, NUL) or climbs above the root.
     */
    static Optional<String> resolve(String fromFile, String ref) {
        if (ref.isEmpty() || ref.indexOf('\0') >= 0 || ref.indexOf('\\') >= 0 || ref.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return PackagePaths.normalize((ref.startsWith("/") ? "" : dir(fromFile)) + ref).filter(p -> !p.isEmpty());
    }

    /** {@code path} without {@code ext}, when it ends with it. */
    static String stripExt(String path, String ext) {
        return path.endsWith(ext) ? path.substring(0, path.length() - ext.length()) : path;
    }
}
