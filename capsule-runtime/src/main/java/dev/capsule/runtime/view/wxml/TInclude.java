package dev.capsule.runtime.view.wxml;

/**
 * {@code <include src="..."/>}. After {@link TemplateSet#compile} the path is the included file's
 * package path without extension (look it up with {@link TemplateSet#page}); straight from
 * {@link WxmlParser} it is the {@code src} as written.
 */
public record TInclude(String path) implements TNode {
}
