package dev.capsule.runtime.view.wxml;

/** A node of a parsed template: the closed set the engine instantiates. */
public sealed interface TNode permits TElement, TText, TIf, TFor, TBlock, TTemplateUse, TInclude, TSlot {
}
