package dev.capsule.runtime.view.wxml;

/**
 * A {@code <wxs module="m">}: inline ({@code source} non-null) or from a file ({@code src} non-null:
 * as written from {@link WxmlParser}, a package path with {@code .wxs} after {@link TemplateSet#compile}).
 */
public record WxsModuleDef(String module, String src, String source, Pos pos) {
    public WxsModuleDef {
        if ((src == null) == (source == null)) {
            throw new IllegalArgumentException("a wxs module is inline or from a src, exactly one");
        }
    }
}
