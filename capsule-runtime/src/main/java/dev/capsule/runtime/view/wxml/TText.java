package dev.capsule.runtime.view.wxml;

/** Text between tags (entities decoded); white-space-only text between tags is dropped by the parser. */
public record TText(Binding text, Pos pos) implements TNode {
}
