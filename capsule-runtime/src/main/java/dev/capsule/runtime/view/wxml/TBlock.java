package dev.capsule.runtime.view.wxml;

import java.util.List;

/** {@code <block>}: a group that renders only its children. */
public record TBlock(List<TNode> children) implements TNode {
    public TBlock {
        children = List.copyOf(children);
    }
}
