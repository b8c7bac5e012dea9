package dev.capsule.runtime.view.wxml;

/**
 * {@code <template is="..." data="{{...}}"/>}.
 *
 * @param is the template's name (may be bound)
 * @param data the data object expression (WeChat writes the braces' inside: {@code data="{{a, b: 1, ...c}}"}
 *             is parsed as the object literal {@code {a, b: 1, ...c}}), or null for no data
 * @param pos where the tag begins
 */
public record TTemplateUse(Binding is, Expr data, Pos pos) implements TNode {
}
