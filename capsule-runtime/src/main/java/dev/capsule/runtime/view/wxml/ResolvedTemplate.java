package dev.capsule.runtime.view.wxml;

import java.util.List;
import java.util.Map;

/**
 * A file ready to instantiate: its tree (includes as {@link TInclude} with package paths), the
 * templates visible in it (its own, then those of its direct imports; its own win) and its WXS modules.
 * A template defined in another file is evaluated in that file's scope ({@code TemplateSet.page(file)}).
 */
public record ResolvedTemplate(String path, List<TNode> children, Map<String, VisibleTemplate> templates,
        List<WxsModuleDef> wxs) {
    public ResolvedTemplate {
        children = List.copyOf(children);
        templates = Map.copyOf(templates);
        wxs = List.copyOf(wxs);
    }

    /** A template definition and the file (package path without extension) that defines it. */
    public record VisibleTemplate(String file, TemplateDef def) {
    }
}
