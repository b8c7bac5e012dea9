package dev.capsule.core.pkg;

import java.util.Locale;
import java.util.Set;

/**
 * The file types WeChat's developer tools upload, so the file types a package holds.
 *
 * <p>Source: WeChat's framework documentation, "Directory structure — Files allowed to be uploaded"
 * (developers.weixin.qq.com/miniprogram/dev/framework/structure.html): .js, .json, .wxml and .wxss
 * are compiled and uploaded; besides them only these suffixes are: wxs, png, jpg, jpeg, gif, svg,
 * json, cer, mp3, aac, m4a, mp4, wav, ogg, silk, wasm, br, cert. Anything else (.ts, .md, .less,
 * .webp, fonts, LICENSE, …) works in the developer tools' simulator but never reaches a phone, so
 * Capsule leaves it out too (docs/package-format.md).
 */
final class UploadFileTypes {
    /** Lower-case suffixes without the dot. */
    static final Set<String> SUFFIXES = Set.of(
            "js", "json", "wxml", "wxss",
            "wxs", "png", "jpg", "jpeg", "gif", "svg", "cer", "mp3", "aac", "m4a", "mp4", "wav", "ogg", "silk", "wasm", "br", "cert");

    private UploadFileTypes() {}

    /** Whether a file of this name is uploaded: its suffix (case ignored) is on the list. */
    static boolean uploaded(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && SUFFIXES.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
