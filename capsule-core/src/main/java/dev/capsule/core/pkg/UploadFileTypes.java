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
 *
 * <p>TypeScript is the one exception, as in WeChat's tools: a project whose project.config.json has
 * {@code setting.useCompilerPlugins: ["typescript"]} has its {@code .ts} files compiled to {@code .js}
 * beside them at upload ("Native support for TypeScript",
 * developers.weixin.qq.com/miniprogram/dev/devtools/compilets.html); declaration files ({@code .d.ts})
 * are types only and never uploaded. The package holds the compiled {@code .js}, never a {@code .ts}.
 */
final class UploadFileTypes {
    /** Lower-case suffixes without the dot. */
    static final Set<String> SUFFIXES = Set.of(
            "js", "json", "wxml", "wxss",
            "wxs", "png", "jpg", "jpeg", "gif", "svg", "cer", "mp3", "aac", "m4a", "mp4", "wav", "ogg", "silk", "wasm", "br", "cert");

    /** The suffix of a TypeScript source, compiled to {@code .js} when the project enables WeChat's TypeScript plugin. */
    static final String TYPESCRIPT = ".ts";
    /** The suffix of a TypeScript declaration file: never compiled, never uploaded. */
    static final String TYPE_DECLARATIONS = ".d.ts";

    private UploadFileTypes() {}

    /** Whether a package path names a TypeScript file (a source or declarations), case ignored. */
    static boolean typescript(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(TYPESCRIPT);
    }

    /** Whether a package path names a TypeScript declaration file, case ignored. */
    static boolean typeDeclarations(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(TYPE_DECLARATIONS);
    }

    /** Whether a file of this name is uploaded: its suffix (case ignored) is on the list. */
    static boolean uploaded(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && SUFFIXES.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
