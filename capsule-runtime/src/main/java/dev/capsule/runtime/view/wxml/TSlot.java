package dev.capsule.runtime.view.wxml;

/** {@code <slot/>} (name {@code Literal("")}) or {@code <slot name="x"/>}. */
public record TSlot(Binding name) implements TNode {
}
