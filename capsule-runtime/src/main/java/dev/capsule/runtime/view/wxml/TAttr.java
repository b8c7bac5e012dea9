package dev.capsule.runtime.view.wxml;

/** An ordinary attribute (or component property); a value-less attribute is {@code Literal("true")} as WeChat. */
public record TAttr(String name, Binding value, Pos pos) {
    public TAttr {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an attribute has a name");
        }
    }
}
