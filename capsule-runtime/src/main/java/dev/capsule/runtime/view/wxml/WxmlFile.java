package dev.capsule.runtime.view.wxml;

import java.util.List;
import java.util.Map;

/**
 * One parsed WXML file: its top-level nodes (without template definitions, imports and wxs), the
 * templates it defines by name, its imports and its WXS modules.
 */
public record WxmlFile(String path, List<TNode> children, Map<String, TemplateDef> templates, List<ImportRef> imports,
        List<WxsModuleDef> wxs) {
    public WxmlFile {
        children = List.copyOf(children);
        templates = Map.copyOf(templates);
        imports = List.copyOf(imports);
        wxs = List.copyOf(wxs);
    }
}
